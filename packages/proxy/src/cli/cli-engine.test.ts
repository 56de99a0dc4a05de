import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock, startSimulator } from '@flinkit/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../engine/engine';
import { validEnv } from '../test/env';
import { loadEnvConfig } from './env-config';
import { runCli } from './run';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  // Processing ends only when the test moves this clock, so `processing` is always seen.
  const clock = createManualClock();
  const sim = await startSimulator({ clock, processingMs: 1_000 });
  cleanups.push(() => sim.close());
  const directory = mkdtempSync(join(tmpdir(), 'flinkit-cli-engine-'));
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
  const env = validEnv({
    FLINKS_INSTANCE: undefined,
    FLINKS_API_URL: sim.apiUrl,
    FLINKS_CONNECT_URL: sim.connectUrl,
    FLINKS_CUSTOMER_ID: sim.customerId,
    FLINKS_SECRET_KEY: sim.secretKey,
    FLINKS_API_KEY: sim.apiKey,
    FLINKIT_DATABASE_URL: `sqlite:${join(directory, 'flinkit.db')}`,
    FLINKIT_POLL_INTERVAL_MS: '50',
  });
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    env,
    stdout: (line: string) => out.push(line),
    stderr: (line: string) => err.push(line),
  };
  return { sim, clock, env, io, out, err };
}

describe('flinkit migrate / retrieve', () => {
  it('migrate creates the schema and says so', async () => {
    const { io, out } = await setup();
    expect(await runCli(['migrate'], io)).toBe(0);
    expect(out).toEqual(['flinkit: database schema is up to date.']);
  });

  it('retrieve re-runs a retrieval and prints each status until ready', async () => {
    const { sim, clock, env, io, out } = await setup();
    const config = loadEnvConfig(env);
    const engine = await createEngine({
      ...(config.engineOptions as NonNullable<typeof config.engineOptions>),
      flinks: config.flinks as NonNullable<typeof config.flinks>,
    });
    const { connection } = await engine.createConnection({
      userId: 'alice',
      loginId: sim.createLogin('greatday_nomfa'),
    });
    await engine.stop();

    const finishUpstream = (async () => {
      while (!out.some((line) => line.includes('"processing"'))) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      clock.advance(1_000);
    })();
    expect(await runCli(['retrieve', '--connection', connection.id, '--user', 'alice'], io)).toBe(
      0,
    );
    await finishUpstream;
    const statuses = out.map((line) => (JSON.parse(line) as { status: string }).status);
    expect(statuses.at(-1)).toBe('ready');
    expect(statuses).toContain('processing');
  }, 20_000);

  it('retrieve fails for a connection of another user', async () => {
    const { io, err } = await setup();
    expect(await runCli(['retrieve', '--connection', 'nope', '--user', 'bob'], io)).toBe(1);
    expect(err[0]).toContain('no such connection');
  });
});
