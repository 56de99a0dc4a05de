import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signUserToken } from '@flinkit/proxy/webhooks';
import { type Simulator, startSimulator } from '@flinkit/simulator';
import { buildPages, DEFAULT_PAGES_DIR } from './build-pages';
import { type FlinksTarget, readFlinksTarget } from './flinks-target';
import { createForwardReceiver } from './forward-receiver';
import { type PagesConfig, type PagesServer, startPagesServer } from './pages-server';
import { isPortTaken, pickPort } from './ports';
import { type ProxyProcess, startProxyProcess } from './proxy-process';
import { loadOrCreateSecrets } from './secrets';

/** `<repo root>/.flinkit/playground/` (git-ignored). */
export const DEFAULT_DATA_DIR = fileURLToPath(
  new URL('../../../.flinkit/playground/', import.meta.url),
);

/** The user every demo page acts as. */
export const DEMO_USER_ID = 'demo-user';

/** Fixed ports of `pnpm start`; a taken one falls back to a free port. */
export const DEFAULT_PORTS = { simulator: 8700, proxy: 8701, pages: 8702 } as const;

/** Options of {@link startPlayground}. */
export interface PlaygroundOptions {
  /** Secrets, database and proxy log live here. Default `<repo>/.flinkit/playground/`. */
  dataDir?: string;
  /** One number for all three servers (0 = free ports, for tests) or one each. Default 8700-8702. */
  ports?: number | { simulator?: number; proxy?: number; pages?: number };
  /** Already built pages (see `buildPages`); default: build them into `apps/playground/dist/`. */
  pagesDir?: string;
  /** `FLINKIT_POLL_INTERVAL_MS` of the proxy; default 2000. */
  pollIntervalMs?: number;
  /** How long the simulated bank takes to aggregate after Authorize; default 5000 ms. */
  processingMs?: number;
  /** Read for `FLINKS_*` (a real Flinks instead of the simulator); default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Progress lines (builds, deliveries to the host backend); default silent. */
  log?: (line: string) => void;
}

/** A running playground. */
export interface Playground {
  /** The one page to open: the index, e.g. `http://127.0.0.1:8702/`. */
  url: string;
  proxyUrl: string;
  /** The simulator's URL, or null when a real Flinks is configured. */
  simulatorUrl: string | null;
  dataDir: string;
  /** True when this run created the secrets (a fresh data directory). */
  firstRun: boolean;
  /** Stops the proxy child, the simulator and the pages server. Idempotent. */
  close(): Promise<void>;
}

function resolvePorts(ports: PlaygroundOptions['ports']): {
  simulator: number;
  proxy: number;
  pages: number;
} {
  if (typeof ports === 'number') return { simulator: ports, proxy: ports, pages: ports };
  return { ...DEFAULT_PORTS, ...ports };
}

async function startLocalSimulator(
  port: number,
  options: { processingMs: number; webhookUrl: string; webhookSecret: string },
): Promise<Simulator> {
  const simulatorOptions = {
    processingMs: options.processingMs,
    webhook: {
      url: options.webhookUrl,
      secret: options.webhookSecret,
      attempts: 5,
      spacingMs: 3000,
    },
  };
  try {
    return await startSimulator({ ...simulatorOptions, port });
  } catch (error) {
    if (port === 0 || !isPortTaken(error)) throw error;
    return startSimulator({ ...simulatorOptions, port: 0 });
  }
}

/**
 * Starts the whole flow on localhost: the Flinks simulator (unless `FLINKS_API_URL` is set),
 * the real proxy (`flinkit serve`, a child process) on a SQLite file in `dataDir`, and the demo
 * pages with a stand-in host backend (`/api/token` for `demo-user`, a verified forward-webhook
 * endpoint). A second start on the same `dataDir` reuses its secrets and database.
 *
 * @example
 * const playground = await startPlayground({ dataDir: tmp, ports: 0, pollIntervalMs: 200 });
 * console.log(playground.url);
 * await playground.close();
 */
export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const ports = resolvePorts(options.ports);
  const log = options.log ?? (() => {});
  const target: FlinksTarget = readFlinksTarget(options.env ?? process.env);
  const { secrets, created } = await loadOrCreateSecrets(dataDir);
  const cleanups: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };

  const config: PagesConfig = { proxyUrl: '', connectOrigin: '' };
  try {
    const building =
      options.pagesDir === undefined
        ? buildPages().then((folder) => {
            log(`Built the demo pages into ${folder}`);
            return folder;
          })
        : Promise.resolve(options.pagesDir);
    // Attach a handler now so an early build failure is not an unhandled rejection.
    building.catch(() => {});
    const pagesDir = options.pagesDir ?? DEFAULT_PAGES_DIR;
    const pages: PagesServer = await startPagesServer({
      root: pagesDir,
      port: ports.pages,
      config: () => config,
      signToken: () =>
        signUserToken({ userId: DEMO_USER_ID, ttlSeconds: 600, secret: secrets.userTokenSecret }),
      onForward: createForwardReceiver(secrets.forwardSecret, (delivery) => {
        log(
          `Your backend received connection ${delivery.connectionId}: ${delivery.accountCount} account(s), signature verified.`,
        );
      }),
    });
    cleanups.push(() => pages.close());

    const proxyPort = await pickPort(ports.proxy);
    let flinksEnv: Record<string, string>;
    let simulator: Simulator | null = null;
    if (target.kind === 'simulator') {
      simulator = await startLocalSimulator(ports.simulator, {
        processingMs: options.processingMs ?? 5000,
        webhookUrl: `http://127.0.0.1:${proxyPort}/v1/webhooks/flinks`,
        webhookSecret: secrets.webhookSecret,
      });
      const running = simulator;
      cleanups.push(() => running.close());
      flinksEnv = {
        FLINKS_API_URL: simulator.apiUrl,
        FLINKS_CONNECT_URL: simulator.connectUrl,
        FLINKS_CUSTOMER_ID: simulator.customerId,
        FLINKS_SECRET_KEY: simulator.secretKey,
        FLINKS_API_KEY: simulator.apiKey,
        FLINKS_DEMO: 'true',
      };
      config.connectOrigin = new URL(simulator.url).origin;
    } else {
      flinksEnv = target.env;
      config.connectOrigin = target.connectOrigin;
    }

    const proxy: ProxyProcess = await startProxyProcess({
      port: proxyPort,
      logFile: join(dataDir, 'proxy.log'),
      onUnexpectedExit: (code) => {
        log(`The flinkit proxy stopped (exit code ${code}); see ${join(dataDir, 'proxy.log')}.`);
      },
      env: {
        ...flinksEnv,
        FLINKIT_DATABASE_URL: `sqlite:${join(dataDir, 'flinkit.db')}`,
        FLINKIT_ENCRYPTION_KEYS: secrets.encryptionKeys,
        FLINKIT_USER_TOKEN_SECRET: secrets.userTokenSecret,
        FLINKIT_ALLOWED_ORIGINS: `${pages.url},http://localhost:${pages.port}`,
        FLINKS_WEBHOOK_SECRET: secrets.webhookSecret,
        FLINKIT_FORWARD_URL: `${pages.url}/api/webhooks/flinkit`,
        FLINKIT_FORWARD_SECRET: secrets.forwardSecret,
        FLINKIT_POLL_INTERVAL_MS: String(options.pollIntervalMs ?? 2000),
        FLINKIT_ACCOUNTS_VIEW: 'full',
      },
    });
    cleanups.push(() => proxy.close());
    config.proxyUrl = proxy.url;
    await building;

    let closing: Promise<void> | null = null;
    return {
      url: `${pages.url}/`,
      proxyUrl: proxy.url,
      simulatorUrl: simulator?.url ?? null,
      dataDir,
      firstRun: created,
      close: () => {
        closing ??= closeAll();
        return closing;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
