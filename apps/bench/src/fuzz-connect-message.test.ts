import { parseConnectMessage } from '@flinkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const STEPS = [
  'APP_MOUNTED',
  'REDIRECT',
  'INSTITUTION_SELECTED',
  'COMPONENT_LOAD_MFA',
  'ACCOUNT_SELECTED',
  'SUBMIT_CREDENTIAL',
  'POPUP_BLOCKED',
];

const shaped = fc.record(
  {
    step: fc.oneof(fc.constantFrom(...STEPS), fc.string(), fc.jsonValue()),
    loginId: fc.oneof(fc.string(), fc.jsonValue()),
    url: fc.oneof(fc.webUrl({ withQueryParameters: true }), fc.string(), fc.jsonValue()),
    institution: fc.jsonValue(),
    requestId: fc.jsonValue(),
    tag: fc.jsonValue(),
    accountId: fc.oneof(fc.string(), fc.array(fc.jsonValue())),
    flinksCode: fc.oneof(fc.string(), fc.jsonValue()),
    mfaTypes: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

describe('parseConnectMessage fuzzing (fast-check)', () => {
  it('never throws, and returns null or a typed event', () => {
    let runs = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          shaped,
          shaped.map((value) => JSON.stringify(value)),
          fc.string(),
        ),
        (data) => {
          runs++;
          const event = parseConnectMessage(data);
          expect(event === null || typeof event.type === 'string').toBe(true);
        },
      ),
      { numRuns: 5_000, seed: 42 },
    );
    console.log(`parseConnectMessage fuzz: ${runs} inputs, none threw`);
  });
});
