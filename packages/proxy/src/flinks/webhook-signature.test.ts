import { describe, expect, it } from 'vitest';
import { signFlinksWebhook, verifyFlinksSignature } from './webhook-signature';

const BODY = JSON.stringify({
  ResponseType: 'GetAccountsDetail',
  RequestId: 'req-1',
  Accounts: [],
});

describe('signFlinksWebhook / verifyFlinksSignature', () => {
  it('verifies the exact bytes only', () => {
    const signature = signFlinksWebhook(BODY, 'secret');
    expect(verifyFlinksSignature(Buffer.from(BODY), signature, 'secret')).toBe(true);
    expect(verifyFlinksSignature(Buffer.from(`${BODY} `), signature, 'secret')).toBe(false);
    expect(verifyFlinksSignature(Buffer.from(BODY), signature, 'other')).toBe(false);
    expect(verifyFlinksSignature(Buffer.from(BODY), null, 'secret')).toBe(false);
    expect(verifyFlinksSignature(Buffer.from(BODY), 'short', 'secret')).toBe(false);
  });
});
