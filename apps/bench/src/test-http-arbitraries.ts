import fc from 'fast-check';

// fast-check arbitraries of requests to the proxy's HTTP API, for `fuzz-http.test.ts`.
// `__real__` (an id), `__alice__`/`__bob__` (authorization) and `__login__` (in bodies) are
// placeholders the test replaces with alice's live connection id, signed user tokens and
// alice's loginId.

export const printable = (max: number) =>
  fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));
const anyText = fc.oneof(
  printable(80),
  fc.string({ maxLength: 80 }),
  fc.constantFrom('', '..', '%', '\u0000', 'ü', '😀'),
);

const idArbitrary = fc.oneof(
  fc.constant('__real__'),
  fc.uuid(),
  anyText.map((text) => encodeURIComponent(text)),
  fc.constantFrom('..%2F..%2Fetc%2Fpasswd', '%00', 'a'.repeat(500), '-1', '0', 'null'),
);

const pathArbitrary = fc.oneof(
  fc.constantFrom(
    '/v1/connect/sessions',
    '/v1/connections',
    '/v1/webhooks/flinks',
    '/healthz',
    '/readyz',
    '/metrics',
    '/v1/openapi.json',
  ),
  fc
    .tuple(
      idArbitrary,
      fc.constantFrom('', '/events', '/refresh', '/ticket', '/accounts', '/unknown'),
    )
    .map(([id, suffix]) => `/v1/connections/${id}${suffix}`),
  fc
    .array(
      anyText.map((text) => encodeURIComponent(text)),
      { maxLength: 4 },
    )
    .map((parts) => `/${parts.join('/')}`),
);

const queryArbitrary = fc.option(
  fc
    .record({ ticket: fc.option(printable(60)), lastEventId: fc.option(printable(20)) })
    .map(({ ticket, lastEventId }) => {
      const params = new URLSearchParams();
      if (ticket !== null) params.set('ticket', ticket);
      if (lastEventId !== null) params.set('lastEventId', lastEventId);
      return `?${params}`;
    }),
  { nil: '' },
);

const authorizationArbitrary = fc.oneof(
  fc.constant<string | null>(null),
  fc.constant('__alice__'),
  fc.constant('__bob__'),
  printable(120).map((text) => `Bearer ${text}`),
  printable(120),
  fc.constant('Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSIsImV4cCI6OTk5OTk5OTk5OX0.'),
);

// Bodies the routes accept, so the fuzzing also reaches the engine and the 2xx answers: a link
// (a new loginId, or alice's own), and a GetAccountsDetail webhook for alice's login whose
// accounts are fuzzed (the summary view then reads them).
const validLink = fc
  .record(
    {
      loginId: fc.oneof(fc.constant('__login__'), fc.stringMatching(/^[\w.-]{1,40}$/)),
      institution: fc.constantFrom('FlinksCapital', 'RBC'),
      tag: fc.stringMatching(/^[\w.:@-]{1,20}$/),
    },
    { requiredKeys: ['loginId'] },
  )
  .map((value) => JSON.stringify(value));
const webhookForAlice = fc
  .record({
    ResponseType: fc.constant('GetAccountsDetail'),
    Login: fc.constant({ Id: '__login__' }),
    Accounts: fc.array(
      fc.record(
        {
          Id: anyText,
          Title: fc.oneof(anyText, fc.jsonValue()),
          AccountNumber: fc.oneof(fc.stringMatching(/^\d{0,12}$/), fc.jsonValue()),
          Balance: fc.oneof(
            fc.record({ Current: fc.oneof(fc.double(), fc.jsonValue()) }),
            fc.jsonValue(),
          ),
          Transactions: fc.oneof(fc.array(fc.jsonValue(), { maxLength: 3 }), fc.jsonValue()),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 4 },
    ),
  })
  .map((value) => JSON.stringify(value));

const jsonBody = fc.oneof(
  validLink,
  webhookForAlice,
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc
    .record(
      {
        loginId: fc.oneof(anyText, fc.jsonValue()),
        institution: fc.jsonValue(),
        requestId: fc.jsonValue(),
        tag: fc.oneof(anyText, fc.jsonValue()),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
  fc
    .record(
      {
        language: fc.oneof(fc.constantFrom('en', 'fr'), anyText),
        tag: anyText,
        params: fc.dictionary(anyText, fc.jsonValue()),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
  fc
    .record(
      {
        ResponseType: fc.oneof(fc.constant('GetAccountsDetail'), anyText),
        RequestId: fc.oneof(fc.uuid(), fc.jsonValue()),
        Accounts: fc.jsonValue(),
        Login: fc.jsonValue(),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
);

// Routes as the API defines them: most runs hit a real route with a plausible method, so the
// fuzzing reaches validation and the engine rather than stopping at 404/405.
const ROUTES: ReadonlyArray<readonly [string, string]> = [
  ['POST', '/v1/connect/sessions'],
  ['GET', '/v1/connections'],
  ['POST', '/v1/connections'],
  ['GET', '/v1/connections/{id}'],
  ['DELETE', '/v1/connections/{id}'],
  ['GET', '/v1/connections/{id}/events'],
  ['POST', '/v1/connections/{id}/refresh'],
  ['POST', '/v1/connections/{id}/ticket'],
  ['GET', '/v1/connections/{id}/accounts'],
  ['POST', '/v1/webhooks/flinks'],
  ['GET', '/healthz'],
  ['GET', '/readyz'],
  ['GET', '/metrics'],
  ['GET', '/v1/openapi.json'],
];

const routeArbitrary = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom(...ROUTES), idArbitrary)
      .map(([[method, template], id]) => ({ method, path: template.replace('{id}', id) })),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      method: fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD'),
      path: pathArbitrary,
    }),
  },
);

/** Anything: any route, headers and body. */
const anyRequest = fc.record({
  route: routeArbitrary,
  query: queryArbitrary,
  authorization: fc.oneof(
    { weight: 3, arbitrary: fc.constant<string | null>('__alice__') },
    { weight: 2, arbitrary: authorizationArbitrary },
  ),
  contentType: fc.option(
    fc.oneof(
      { weight: 4, arbitrary: fc.constant('application/json') },
      { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/json; charset=utf-8') },
      { weight: 1, arbitrary: printable(40) },
    ),
    { freq: 5 },
  ),
  lastEventId: fc.option(printable(30)),
  origin: fc.option(fc.oneof(fc.constant('https://app.example.com'), printable(40))),
  body: fc.option(
    fc.oneof(
      { weight: 6, arbitrary: jsonBody },
      { weight: 2, arbitrary: fc.string({ maxLength: 200 }) },
      { weight: 1, arbitrary: fc.constant('x'.repeat(20_000)) },
    ),
    { freq: 5 },
  ),
  signWebhook: fc.boolean(),
});

const validSession = fc
  .record(
    { language: fc.constantFrom('en', 'fr'), tag: fc.stringMatching(/^[\w.:@-]{1,20}$/) },
    { requiredKeys: [] },
  )
  .map((value) => JSON.stringify(value));

/** The body a route accepts: a link, a signed webhook for alice's login, session options. */
function validBodyFor(method: string, template: string): fc.Arbitrary<string | null> {
  if (method === 'POST' && template === '/v1/connections') return validLink;
  if (method === 'POST' && template === '/v1/webhooks/flinks') return webhookForAlice;
  if (method === 'POST' && template === '/v1/connect/sessions') return fc.option(validSession);
  return fc.constant(null);
}

/**
 * A request the route should serve: its method, alice's live connection, a JSON body it
 * accepts, a signed webhook; the caller is alice, or bob (whose answer must then be a 404).
 */
const wellFormedRequest = fc
  .oneof(
    { weight: 3, arbitrary: fc.constantFrom(...ROUTES) },
    // The accounts answer a 200 only after a webhook completed the retrieval: more of both.
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        ['POST', '/v1/webhooks/flinks'] as const,
        ['GET', '/v1/connections/{id}/accounts'] as const,
      ),
    },
  )
  .chain(([method, template]) =>
    fc.record({
      route: fc.constant({ method, path: template.replace('{id}', '__real__') }),
      query: fc.constant(''),
      authorization: fc.constantFrom<string | null>('__alice__', '__alice__', '__bob__'),
      contentType: fc.constant<string | null>('application/json'),
      lastEventId: fc.constant<string | null>(null),
      origin: fc.option(fc.constant('https://app.example.com')),
      body: validBodyFor(method, template),
      signWebhook: fc.constant(true),
    }),
  );

// Mostly anything, so that validation sees garbage; a third well formed, so that the fuzzing
// also reaches the engine, the 2xx answers and bob's lookups of alice's connection.
export const requestArbitrary = fc.oneof(
  { weight: 2, arbitrary: anyRequest },
  { weight: 1, arbitrary: wellFormedRequest },
);

/** One generated request. */
export type FuzzRequest = typeof anyRequest extends fc.Arbitrary<infer T> ? T : never;
