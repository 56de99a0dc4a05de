import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyring, KeyMissingError } from './crypto';
import { FlinkitProxyError } from './errors';

const keyA = { id: 'a', key: randomBytes(32) };
const keyB = { id: 'b', key: randomBytes(32) };

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return FlinkitProxyError.isInstance(error) ? error.code : 'not-ours';
  }
  return undefined;
}

describe('createKeyring', () => {
  it('round-trips with the key id in the value and a fresh IV each time', () => {
    const keyring = createKeyring([keyA]);
    const first = keyring.encrypt('login-123');
    const second = keyring.encrypt('login-123');
    expect(first).toMatch(/^v1\.a\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('login-123');
    expect(keyring.decrypt(first)).toBe('login-123');
  });

  it('still decrypts values written before a rotation, and encrypts with the new first key', () => {
    const old = createKeyring([keyA]).encrypt('before rotation');
    const rotated = createKeyring([keyB, keyA]);
    expect(rotated.decrypt(old)).toBe('before rotation');
    expect(rotated.encrypt('after').startsWith('v1.b.')).toBe(true);
  });

  it('refuses a value whose key left the ring (naming the key id), or that was tampered with', () => {
    const value = createKeyring([keyA]).encrypt('secret');
    expect(codeOf(() => createKeyring([keyB]).decrypt(value))).toBe('encryption_key_missing');
    const thrown = (() => {
      try {
        createKeyring([keyB]).decrypt(value);
        return null;
      } catch (error) {
        return error;
      }
    })();
    expect(KeyMissingError.isInstance(thrown) && thrown.keyId).toBe(keyA.id);
    const tampered = `${value.slice(0, -2)}${value.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(codeOf(() => createKeyring([keyA]).decrypt(tampered))).toBe('decrypt_failed');
    expect(codeOf(() => createKeyring([keyA]).decrypt('garbage'))).toBe('decrypt_failed');
  });

  it('hashes loginIds with a keyed HMAC, current key first, older keys after', () => {
    const before = createKeyring([keyA]);
    const after = createKeyring([keyB, keyA]);
    expect(before.hashLoginId('login-1')).toMatch(/^[0-9a-f]{64}$/);
    expect(before.hashLoginId('login-1')).toBe(before.hashLoginId('login-1'));
    expect(before.hashLoginId('login-1')).not.toBe(before.hashLoginId('login-2'));
    expect(after.loginIdHashes('login-1')).toEqual([
      after.hashLoginId('login-1'),
      before.hashLoginId('login-1'),
    ]);
    expect(after.hashLoginId('login-1')).not.toBe(before.hashLoginId('login-1'));
  });

  it('rejects bad keys with invalid_config and never echoes key material', () => {
    expect(codeOf(() => createKeyring([]))).toBe('invalid_config');
    expect(codeOf(() => createKeyring([{ id: 'a', key: randomBytes(16) }]))).toBe('invalid_config');
    expect(codeOf(() => createKeyring([keyA, { ...keyB, id: 'a' }]))).toBe('invalid_config');
    expect(codeOf(() => createKeyring([{ id: 'has.dot', key: randomBytes(32) }]))).toBe(
      'invalid_config',
    );
  });
});
