import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Simulator } from '@flinkit/simulator';
import { type ForwardedWebhook, verifyForwardedWebhook } from '../base/forward-webhook';
import { signUserToken } from '../http/auth';

const CHILD = fileURLToPath(new URL('./instance-child.ts', import.meta.url));

/** Shared secrets of one multi-instance test. */
export const INSTANCE_SECRETS = {
  userTokenSecret: 'scale-out-user-token-secret-0123456789',
  forwardSecret: `whsec_${randomBytes(24).toString('base64')}`,
  keyBase64: randomBytes(32).toString('base64'),
};

/** One proxy process. */
export interface Instance {
  id: string;
  url: string;
  process: ChildProcess;
  exited: Promise<number | null>;
  /**
   * With `stopAfterClaim`: resolves with the retrieval the process claimed just before it
   * stopped itself (send SIGCONT to resume it).
   */
  stalled: Promise<{ retrievalId: string; leaseUntil: number }>;
  /** SIGTERM and wait (graceful stop; SIGKILL after 10 s). */
  stop(): Promise<void>;
}

/** Settings of {@link spawnInstance}. */
export interface InstanceSettings {
  id: string;
  databaseUrl: string;
  sim: Simulator;
  forwardUrl: string;
  pollIntervalMs: number;
  leaseMs: number;
  maxConcurrentSteps?: number;
  /**
   * Stops the whole process (SIGSTOP, as a stalled event loop or a paused VM would) right after
   * its first claim of a `processing` retrieval, before stepping it; see {@link Instance.stalled}.
   */
  stopAfterClaim?: boolean;
}

/** Starts `startServer` in a child process (`node --import tsx`) and waits for its URL. */
export async function spawnInstance(settings: InstanceSettings): Promise<Instance> {
  const config = {
    instanceId: settings.id,
    databaseUrl: settings.databaseUrl,
    apiUrl: settings.sim.apiUrl,
    customerId: settings.sim.customerId,
    secretKey: settings.sim.secretKey,
    apiKey: settings.sim.apiKey,
    keyBase64: INSTANCE_SECRETS.keyBase64,
    userTokenSecret: INSTANCE_SECRETS.userTokenSecret,
    forward: { url: settings.forwardUrl, secret: INSTANCE_SECRETS.forwardSecret },
    pollIntervalMs: settings.pollIntervalMs,
    leaseMs: settings.leaseMs,
    maxConcurrentSteps: settings.maxConcurrentSteps ?? 16,
    stopAfterClaim: settings.stopAfterClaim ?? false,
  };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@flinkit/source', CHILD],
    {
      env: { ...process.env, FLINKIT_INSTANCE_CHILD: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', (line) => {
      resolve((JSON.parse(line) as { url: string }).url);
    });
    void exited.then((code) => reject(new Error(`instance ${settings.id} exited (${code})`)));
  });
  const stalled = new Promise<{ retrievalId: string; leaseUntil: number }>((resolve, reject) => {
    lines.on('line', (line) => {
      const message = JSON.parse(line) as { stalled?: { retrievalId: string; leaseUntil: number } };
      if (message.stalled) resolve(message.stalled);
    });
    void exited.then((code) => reject(new Error(`instance ${settings.id} exited (${code})`)));
  });
  stalled.catch(() => undefined);
  return {
    id: settings.id,
    url,
    process: child,
    exited,
    stalled,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      // A stop that hangs must not hang the test run.
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(force);
    },
  };
}

/** A forward-webhook receiver that verifies signatures and counts deliveries per retrieval. */
export interface Receiver {
  url: string;
  /** Deliveries received, by retrieval id. */
  counts: Map<string, number>;
  /** Bodies that failed verification. */
  rejected: number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const receiver: Omit<Receiver, 'url'> & { url: string; server?: Server } = {
    url: '',
    counts: new Map(),
    rejected: 0,
    close: () =>
      new Promise<void>((resolve) => {
        receiver.server?.closeAllConnections();
        receiver.server?.close(() => resolve());
      }),
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const event: ForwardedWebhook = verifyForwardedWebhook({
          body: Buffer.concat(chunks).toString('utf8'),
          headers: request.headers,
          secret: INSTANCE_SECRETS.forwardSecret,
        });
        const id = event.data.retrievalId;
        receiver.counts.set(id, (receiver.counts.get(id) ?? 0) + 1);
        response.writeHead(200).end();
      } catch {
        receiver.rejected += 1;
        response.writeHead(400).end();
      }
    });
  });
  receiver.server = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}

/** `Authorization` header of a standalone-mode user. */
export function bearer(userId: string): Record<string, string> {
  return {
    authorization: `Bearer ${signUserToken({ userId, secret: INSTANCE_SECRETS.userTokenSecret })}`,
  };
}

/** Waits until `check` is true, reading it every 50 ms; fails after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs `work` over `items` with at most `limit` at a time. */
export async function inBatches<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
