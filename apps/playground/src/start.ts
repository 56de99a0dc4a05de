/**
 * `pnpm start`: the whole flinkit flow on localhost, no Flinks account, no network.
 *
 * Environment (all optional): `FLINKIT_PLAYGROUND_DIR` (state folder, default
 * `<repo>/.flinkit/playground`), `FLINKIT_PLAYGROUND_PORTS` (`0` = free ports),
 * `FLINKIT_PLAYGROUND_PAGES` (already built pages: skip the Vite build), and
 * `FLINKS_INSTANCE` (a real Flinks instead of the simulator: `toolbox`; see the README).
 */
import { isAbsolute, join, relative } from 'node:path';
import { PlaygroundError } from './errors';
import { describeFlinksTarget, readFlinksTarget } from './flinks-target';
import { type Playground, startPlayground } from './playground';

const CREDENTIALS = [
  'Test bank: FlinksCapital (search "Flinks" in Connect; password for everyone: Everyday)',
  '  greatday_nomfa          links at once',
  '  Greatday                asks security questions: city → Montreal, country → Canada, shape → Triangle',
  '  test_disabled_account   fails with DISABLED_LOGIN (try the Retry button)',
];

function readPorts(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(
      `FLINKIT_PLAYGROUND_PORTS must be a port number (0 = free ports), got "${value}".`,
    );
    process.exit(1);
  }
  return port;
}

async function main(): Promise<void> {
  const ports = readPorts(process.env.FLINKIT_PLAYGROUND_PORTS);
  const dataDir = process.env.FLINKIT_PLAYGROUND_DIR;
  const pagesDir = process.env.FLINKIT_PLAYGROUND_PAGES;
  console.log('Starting the flinkit playground…');
  let playground: Playground;
  try {
    playground = await startPlayground({
      ...(dataDir ? { dataDir } : {}),
      ...(ports === undefined ? {} : { ports }),
      ...(pagesDir ? { pagesDir } : {}),
      log: (line) => console.log(line),
    });
  } catch (error) {
    console.error(PlaygroundError.isInstance(error) ? error.message : error);
    process.exit(1);
  }

  const shortPath = relative(process.cwd(), playground.dataDir);
  const where =
    shortPath.startsWith('..') || isAbsolute(shortPath) ? playground.dataDir : shortPath || '.';
  // startPlayground read the same environment without error, so this cannot throw.
  const flinks = describeFlinksTarget(readFlinksTarget(process.env));
  console.log(
    [
      '',
      `  Open ${playground.url}`,
      '',
      ...CREDENTIALS,
      '',
      `Flinks: ${flinks}.`,
      `Behind it: the flinkit proxy (log: ${join(where, 'proxy.log')}) and a stand-in host backend.`,
      `State: ${where} (${playground.firstRun ? 'new secrets created' : 'previous connections kept'}).`,
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    playground.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
