// One proxy instance in its own process, for the multi-instance tests (`scale-out.test.ts`,
// `lease-takeover.test.ts`). Reads its settings from FLINKIT_INSTANCE_CHILD (JSON), prints
// `{"url": …}` once listening, and stops cleanly on SIGTERM.
import { startServer } from '../http/server';
import { openStore } from '../store/open-store';
import type { Store } from '../store/store';

interface InstanceConfig {
  instanceId: string;
  databaseUrl: string;
  apiUrl: string;
  customerId: string;
  secretKey: string;
  apiKey: string;
  keyBase64: string;
  userTokenSecret: string;
  forward: { url: string; secret: string };
  pollIntervalMs: number;
  leaseMs: number;
  /** 0 makes an HTTP-only instance that never steps a retrieval. */
  maxConcurrentSteps: number;
  /** SIGSTOP this process right after its first claim of a `processing` retrieval. */
  stopAfterClaim: boolean;
}

const config = JSON.parse(process.env.FLINKIT_INSTANCE_CHILD ?? '{}') as InstanceConfig;
const flinks = {
  apiUrl: config.apiUrl,
  customerId: config.customerId,
  secretKey: config.secretKey,
  apiKey: config.apiKey,
};
/**
 * The store, which with `stopAfterClaim` stops the process (the whole event loop, as a long GC
 * pause or a paused VM would) between its first claim of a polling retrieval and the step,
 * after saying on stdout which retrieval it holds and until when.
 */
async function openStalling(): Promise<Store> {
  const store = await openStore(config.databaseUrl);
  let stopped = false;
  return {
    ...store,
    async claimRetrievals(owner, now, limit, leaseMs) {
      const rows = await store.claimRetrievals(owner, now, limit, leaseMs);
      const polling = rows.find((row) => row.state === 'processing');
      if (!stopped && polling) {
        stopped = true;
        const stalled = { retrievalId: polling.id, leaseUntil: polling.leaseUntil };
        process.stdout.write(`${JSON.stringify({ stalled })}\n`);
        process.kill(process.pid, 'SIGSTOP');
      }
      return rows;
    },
  };
}

const store = config.stopAfterClaim ? await openStalling() : undefined;
const server = await startServer({
  port: 0,
  flinks,
  userTokenSecret: config.userTokenSecret,
  forward: config.forward,
  connect: { url: `${config.apiUrl}/v2/` },
  logger: { level: 'silent' },
  rateLimits: {
    sessions: { limit: 10_000, windowMs: 60_000 },
    connections: { limit: 10_000, windowMs: 60_000 },
  },
  engineOptions: {
    flinks,
    databaseUrl: config.databaseUrl,
    encryptionKeys: [{ id: 'k1', key: new Uint8Array(Buffer.from(config.keyBase64, 'base64')) }],
    instanceId: config.instanceId,
    pollIntervalMs: config.pollIntervalMs,
    leaseMs: config.leaseMs,
    maxConcurrentSteps: config.maxConcurrentSteps,
    pollTimeoutMs: 120_000,
    detail: { withTransactions: false },
    deliveryRetryBaseMs: 200,
    deliveryRetryMaxMs: 1_000,
    ...(store ? { store } : {}),
  },
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.once('SIGTERM', () => {
  void server
    .close()
    .then(() => store?.close())
    .then(() => process.exit(0));
});
