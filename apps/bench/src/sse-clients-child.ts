// The SSE fan-out figure's browsers: links N connections (one user each) and keeps one status
// stream open per connection over plain node:http (a socket each, as N browsers would), then
// reports every `ready` event with the moment its bytes were read.
import { request } from 'node:http';
import { signUserToken } from '@flinkit/proxy/webhooks';
import { fromParent, tellParent } from './child';
import { BENCH_USER_TOKEN_SECRET } from './proxy-fixture';
import { epochNow } from './stats';

/** What the parent sends to start it. */
export interface SseClientsInput {
  url: string;
  loginId: string;
  streams: number;
}

const input = await fromParent<SseClientsInput>();
const base = new URL(input.url);
let processing = 0;

function call(
  method: string,
  path: string,
  token: string,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        agent: false,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Opens the stream; resolves once its first status (the current one) arrived. */
function openStream(connectionId: string, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: base.hostname,
        port: base.port,
        path: `/v1/connections/${connectionId}/events`,
        agent: false,
        headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      },
      (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`SSE stream answered ${response.statusCode}`));
          return;
        }
        let buffer = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          const receivedAt = epochNow();
          buffer += chunk;
          let boundary = buffer.indexOf('\n\n');
          while (boundary !== -1) {
            const message = buffer.slice(0, boundary);
            buffer = buffer.slice(boundary + 2);
            const data = /^data: ?(.*)$/m.exec(message)?.[1];
            if (data && /^event: ?status$/m.test(message)) {
              const status = (JSON.parse(data) as { status: string }).status;
              if (status === 'processing') {
                processing++;
                resolve();
              } else if (status === 'ready') {
                tellParent({ type: 'ready', connectionId, at: receivedAt });
              } else resolve();
            }
            boundary = buffer.indexOf('\n\n');
          }
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

// First every connection is linked (the parent reads the proxy's RSS then), then one stream
// is opened for each, so the figure tells the stream's memory from the connection's.
const linked: { id: string; token: string }[] = [];
for (let start = 0; start < input.streams; start += 100) {
  const batch = [];
  for (let index = start; index < Math.min(input.streams, start + 100); index++) {
    batch.push(
      (async () => {
        const token = signUserToken({
          userId: `user-${index}`,
          secret: BENCH_USER_TOKEN_SECRET,
          ttlSeconds: 3600,
        });
        const created = await call(
          'POST',
          '/v1/connections',
          token,
          JSON.stringify({ loginId: input.loginId, institution: 'FlinksCapital' }),
        );
        const { connection } = JSON.parse(created.text) as { connection: { id: string } };
        linked.push({ id: connection.id, token });
      })(),
    );
  }
  await Promise.all(batch);
}
tellParent({ type: 'linked', connections: linked.length });
await new Promise<void>((resolve) =>
  process.once('message', (message: { type: string }) => {
    if (message.type === 'open-streams') resolve();
  }),
);
for (let start = 0; start < linked.length; start += 100) {
  await Promise.all(linked.slice(start, start + 100).map(({ id, token }) => openStream(id, token)));
}
// Every stream is open; wait until each connection has reached processing (a RequestId).
const deadline = Date.now() + 600_000;
while (processing < input.streams && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 100));
}
tellParent({ type: 'open', streams: input.streams, processing });
