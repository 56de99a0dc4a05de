// Baseline for the status-route figure: a bare node:http server answering a fixed JSON body.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerCpuQueries, fromParent, tellParent } from './child';

const { body } = await fromParent<{ body: string }>();
const bytes = Buffer.from(body);
const server = createServer((_request, response) => {
  response.writeHead(200, {
    'content-type': 'application/json',
    'content-length': bytes.length,
    'cache-control': 'no-store',
  });
  response.end(bytes);
});
server.listen(0, '127.0.0.1', () => {
  answerCpuQueries();
  tellParent({ type: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
