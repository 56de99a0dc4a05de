// The restart soak's proxy: one engine on a shared SQLite file. Its `deliver` hook appends each
// delivery to a file before resolving, so the parent can count completions across kill -9s.
import { appendFileSync } from 'node:fs';
import { createEngine } from '@flinkit/proxy/node';
import { fromParent, tellParent } from './child';
import type { FlinksTarget } from './proxy-fixture';

/** What the parent sends to each life of the child. */
export interface EngineChildInput {
  flinks: FlinksTarget;
  databaseUrl: string;
  keyBase64: string;
  deliveriesFile: string;
  /** Only in the first life: link these users' loginId and report the connection ids. */
  connect?: { loginId: string; userIds: string[] };
}

const input = await fromParent<EngineChildInput>();
const engine = await createEngine({
  flinks: {
    apiUrl: input.flinks.apiUrl,
    customerId: input.flinks.customerId,
    secretKey: input.flinks.secretKey,
    apiKey: input.flinks.apiKey,
    timeoutMs: 5_000,
  },
  databaseUrl: input.databaseUrl,
  encryptionKeys: [{ id: 'bench', key: Buffer.from(input.keyBase64, 'base64') }],
  pollIntervalMs: 200,
  retryBaseMs: 100,
  // A dead life's leases expire quickly, so the next life takes its rows over.
  leaseMs: 1_000,
  deliveryRetryBaseMs: 100,
  deliveryRetryMaxMs: 1_000,
  async deliver(delivery) {
    appendFileSync(
      input.deliveriesFile,
      `${JSON.stringify({ deliveryId: delivery.deliveryId, retrievalId: delivery.retrievalId, connectionId: delivery.connectionId, pid: process.pid })}\n`,
    );
  },
});
engine.start();
if (input.connect) {
  const ids: string[] = [];
  for (const userId of input.connect.userIds) {
    const { connection } = await engine.createConnection({
      userId,
      loginId: input.connect.loginId,
    });
    ids.push(connection.id);
  }
  tellParent({ type: 'connected', ids });
}
tellParent({ type: 'ready' });
process.once('SIGTERM', () => {
  void engine.stop().then(() => process.exit(0));
});
