import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connection, isTerminalStatus } from '@flinkit/core/wire';
import { createEngine } from '../engine/engine';
import { createFlinksClient, type FlinksCredentials } from '../flinks/client';
import { FlinksApiError } from '../flinks/errors';
import type { Check } from './doctor-check';

/**
 * The Toolbox test user that links without MFA (apps/docs/flinks.md#toolbox-sandbox; password
 * `Everyday`).
 */
const TOOLBOX_USER = {
  Username: 'greatday_nomfa',
  Password: 'Everyday',
  Institution: 'FlinksCapital',
};

/** Options of {@link runToolboxRetrieval}. */
export interface ToolboxOptions {
  flinks: FlinksCredentials;
  pollIntervalMs: number;
  /** Gives up after this long. */
  timeoutMs: number;
  /** One line per upstream call, as it answers. */
  print(line: string): void;
}

/**
 * `flinkit doctor --toolbox`: signs the Toolbox user `greatday_nomfa` in (Authorize with
 * Username/Password, as the customer would in Connect), then runs one whole retrieval of it
 * through the real engine — on a throwaway SQLite file with a throwaway key, so the configured
 * database is never touched — printing every upstream call with its status and time. The
 * loginId is never printed, and the login is not deleted (the Toolbox is shared).
 */
export async function runToolboxRetrieval(options: ToolboxOptions): Promise<Check> {
  const name = 'toolbox';
  const started = performance.now();
  const line = (endpoint: string, status: number | string, outcome: string, ms: number) =>
    options.print(
      `  ↳ ${endpoint.padEnd(24)} ${String(status).padEnd(4)} ${outcome.padEnd(9)} ${Math.round(ms)} ms`,
    );

  let loginId: string;
  try {
    loginId = await signIn(options, line);
  } catch (error) {
    const detail = FlinksApiError.isInstance(error) ? error.message : String(error);
    return {
      name,
      status: 'fail',
      detail: `could not sign greatday_nomfa in: ${detail} (--toolbox needs the toolbox instance)`,
    };
  }

  const directory = mkdtempSync(join(tmpdir(), 'flinkit-doctor-'));
  const engine = await createEngine({
    flinks: options.flinks,
    databaseUrl: `sqlite:${join(directory, 'doctor.db')}`,
    encryptionKeys: [{ id: 'doctor', key: new Uint8Array(randomBytes(32)) }],
    pollIntervalMs: options.pollIntervalMs,
    pollTimeoutMs: options.timeoutMs,
    onUpstreamCall: (call) =>
      line(call.endpoint, call.status ?? '—', call.outcome, call.durationMs),
  });
  try {
    engine.start();
    const { connection } = await engine.createConnection({ userId: 'flinkit-doctor', loginId });
    const done = await terminal(engine.subscribe.bind(engine), connection, () =>
      engine.getConnection('flinkit-doctor', connection.id),
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (done.status !== 'ready') {
      const error = done.error;
      return {
        name,
        status: 'fail',
        detail: `the retrieval ended ${done.status}${error ? `: ${error.code}${error.flinksCode ? ` ${error.flinksCode}` : ''} — ${error.message}` : ''}`,
      };
    }
    const payload = await engine.getPayload('flinkit-doctor', connection.id);
    const accounts = Array.isArray(payload?.payload.Accounts) ? payload.payload.Accounts.length : 0;
    return {
      name,
      status: 'ok',
      detail: `greatday_nomfa retrieved through the engine in ${seconds} s: ${accounts} account(s), ${done.attempt} data call(s)`,
    };
  } finally {
    await engine.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

async function signIn(
  options: ToolboxOptions,
  line: (endpoint: string, status: number | string, outcome: string, ms: number) => void,
): Promise<string> {
  const { flinks } = options;
  const client = createFlinksClient({
    ...flinks,
    maxRetries: 0,
    onCall: (call) => line(call.endpoint, call.status ?? '—', call.outcome, call.durationMs),
  });
  const token = await client.generateAuthorizeToken();
  const started = performance.now();
  const response = await fetch(
    `${flinks.apiUrl.replace(/\/+$/, '')}/v3/${encodeURIComponent(flinks.customerId)}/BankingServices/Authorize`,
    {
      method: 'POST',
      headers: {
        'flinks-auth-key': token,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({ ...TOOLBOX_USER, MostRecentCached: false, Save: true }),
      signal: AbortSignal.timeout(flinks.detailTimeoutMs ?? 240_000),
    },
  );
  const body = (await response.json().catch(() => ({}))) as {
    FlinksCode?: unknown;
    Login?: { Id?: unknown };
  };
  line(
    'Authorize (sign in)',
    response.status,
    response.status === 200 ? 'data' : 'refused',
    performance.now() - started,
  );
  if (response.status === 200 && typeof body.Login?.Id === 'string') return body.Login.Id;
  const code =
    typeof body.FlinksCode === 'string' && /^[A-Z_]{1,64}$/.test(body.FlinksCode)
      ? ` ${body.FlinksCode}`
      : '';
  throw new Error(`Authorize answered ${response.status}${code}`);
}

/** Resolves with the connection once it is terminal (events, then a re-read in case it already was). */
function terminal(
  subscribe: (id: string, listener: (connection: Connection) => void) => () => void,
  connection: Connection,
  read: () => Promise<Connection | null>,
): Promise<Connection> {
  return new Promise((resolve) => {
    const unsubscribe = subscribe(connection.id, (next) => {
      if (!isTerminalStatus(next.status)) return;
      unsubscribe();
      resolve(next);
    });
    void read().then((current) => {
      if (current && isTerminalStatus(current.status)) {
        unsubscribe();
        resolve(current);
      }
    });
  });
}
