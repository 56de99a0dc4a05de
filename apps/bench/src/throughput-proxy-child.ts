// The proxy under load: startServer() with a SQLite engine, one seeded `ready` connection.
import { startServer } from '@flinkit/proxy/node';
import { signUserToken } from '@flinkit/proxy/webhooks';
import { answerCpuQueries, fromParent, tellParent } from './child';
import {
  BENCH_USER_TOKEN_SECRET,
  createEngineStorage,
  type FlinksTarget,
  UNLIMITED_RATE,
} from './proxy-fixture';

const { flinks, loginId } = await fromParent<{ flinks: FlinksTarget; loginId: string }>();
const storage = createEngineStorage();
const server = await startServer({
  port: 0,
  flinks: {
    apiUrl: flinks.apiUrl,
    customerId: flinks.customerId,
    secretKey: flinks.secretKey,
    apiKey: flinks.apiKey,
  },
  connect: { url: flinks.connectUrl },
  engineOptions: { databaseUrl: storage.databaseUrl, encryptionKeys: storage.encryptionKeys },
  userTokenSecret: BENCH_USER_TOKEN_SECRET,
  rateLimits: UNLIMITED_RATE,
  ...(process.env.BENCH_SILENT ? { logger: { level: 'silent' as const } } : {}),
});
const engine = await server.flinkit.ready;
const { connection } = await engine.createConnection({ userId: 'bench-user', loginId });
await new Promise<void>((resolve) => {
  const check = (status: string) => {
    if (status === 'ready' || status === 'failed' || status === 'timed_out') resolve();
  };
  engine.subscribe(connection.id, (next) => check(next.status));
  void engine.getConnection('bench-user', connection.id).then((now) => check(now?.status ?? ''));
});
const token = signUserToken({
  userId: 'bench-user',
  secret: BENCH_USER_TOKEN_SECRET,
  ttlSeconds: 3600,
});
answerCpuQueries();
tellParent({ type: 'ready', url: `${server.url}/v1/connections/${connection.id}`, token });
process.once('SIGTERM', () => {
  void server.close().then(() => {
    storage.remove();
    process.exit(0);
  });
});
