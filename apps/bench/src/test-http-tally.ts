import type { FuzzRequest } from './test-http-arbitraries';

// What `fuzz-http.test.ts` counts of the answers, and how it reads the start of an SSE answer.

/** `GET /v1/connections/{id}/events`-style label of a request, to count 2xx answers per route. */
export function routeLabel({ method, path }: FuzzRequest['route']): string {
  const template = path.replace(/^\/v1\/connections\/[^/]+/, '/v1/connections/{id}');
  return `${method} ${template}`;
}

// The routes of one connection and their methods: bob asking any of them for alice's live
// connection (no ticket, so the route reaches its lookup) must get a 404.
export const CONNECTION_ROUTES = new Set([
  'GET /v1/connections/{id}',
  'DELETE /v1/connections/{id}',
  'GET /v1/connections/{id}/events',
  'POST /v1/connections/{id}/refresh',
  'POST /v1/connections/{id}/ticket',
  'GET /v1/connections/{id}/accounts',
]);
// Every route a caller reaches past validation; the fuzzing must get a 2xx from each.
export const MUST_REACH_2XX = [
  'POST /v1/connect/sessions',
  'GET /v1/connections',
  'POST /v1/connections',
  ...CONNECTION_ROUTES,
  'POST /v1/webhooks/flinks',
];

/** What one fuzz run saw: statuses, 2xx per route, bob's tries, and values to look for in logs. */
export function createTally() {
  return {
    statuses: new Map<number, number>(),
    reached: new Map<string, number>(),
    bobOnAlice: 0,
    /** Handed out in one answer by design (a ticket, a Connect URL's token): never logged. */
    handedOut: new Set<string>(),
    histogram() {
      return [...this.statuses]
        .sort(([a], [b]) => a - b)
        .map(([status, count]) => `${status}×${count}`)
        .join(' ');
    },
  };
}
export type Tally = ReturnType<typeof createTally>;

/** The start of an SSE answer (its first status event), then the stream is cancelled. */
export async function readStreamStart(response: Response): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + 2_000;
  // A resumed stream that is already up to date sends nothing more: stop at the deadline.
  while (!text.includes('data: ') && Date.now() < deadline) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), deadline - Date.now())),
    ]);
    if (chunk === null || chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  await reader.cancel();
  return text;
}
