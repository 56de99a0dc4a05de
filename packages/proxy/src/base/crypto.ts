import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { ConfigError, FlinkitProxyError } from './errors';

/** One AES-256-GCM key of the keyring; the first key encrypts, all keys decrypt. */
export interface EncryptionKey {
  id: string;
  /** 32 bytes. */
  key: Uint8Array;
}

/** Encrypts and hashes values at rest with a keyring of AES-256-GCM keys. */
export interface Keyring {
  /** Encrypts with the first key: `v1.<keyId>.<iv b64url>.<ciphertext+tag b64url>`. */
  encrypt(plaintext: string): string;
  /** Decrypts a value made by any key of the ring (found by its id). */
  decrypt(value: string): string;
  /** HMAC-SHA256 (hex) keyed from the first key: the lookup index of a loginId. */
  hashLoginId(loginId: string): string;
  /** The hash under every key, newest first: finds values indexed before a rotation. */
  loginIdHashes(loginId: string): string[];
  /** The ids of the keys, the encrypting one first. */
  keyIds: readonly string[];
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const HASH_INFO = Buffer.from('flinkit login-id hash v1');

/**
 * Builds the keyring. `keys[0]` encrypts and indexes; every key decrypts by its id, so values
 * written before a rotation stay readable. Ids must be short `[A-Za-z0-9_-]` strings.
 *
 * @example
 * const keyring = createKeyring([{ id: '2025', key: randomBytes(32) }]);
 * keyring.decrypt(keyring.encrypt('secret')) === 'secret';
 */
export function createKeyring(keys: readonly EncryptionKey[]): Keyring {
  if (keys.length === 0) throw invalid('At least one encryption key is required.');
  const byId = new Map<string, Buffer>();
  for (const { id, key } of keys) {
    if (!KEY_ID.test(id))
      throw invalid('An encryption key id must be 1-32 characters of [A-Za-z0-9_-].');
    if (key.byteLength !== 32) throw invalid(`Encryption key "${id}" must be 32 bytes.`);
    if (byId.has(id)) throw invalid(`Encryption key id "${id}" appears twice.`);
    byId.set(id, Buffer.from(key));
  }
  const hashKeys = keys.map(({ key }) =>
    Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), HASH_INFO, 32)),
  );
  const primary = keys[0]!;
  const primaryKey = byId.get(primary.id)!;

  return {
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', primaryKey, iv);
      const sealed = Buffer.concat([
        cipher.update(plaintext, 'utf8'),
        cipher.final(),
        cipher.getAuthTag(),
      ]);
      return `v1.${primary.id}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
    },
    decrypt(value) {
      const [version, keyId, iv, sealed] = value.split('.');
      const key = keyId === undefined ? undefined : byId.get(keyId);
      if (version === 'v1' && keyId !== undefined && KEY_ID.test(keyId) && !key) {
        throw new KeyMissingError(keyId);
      }
      if (version !== 'v1' || !key || iv === undefined || sealed === undefined) {
        throw undecryptable();
      }
      try {
        const bytes = Buffer.from(sealed, 'base64url');
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(bytes.subarray(bytes.length - 16));
        return Buffer.concat([
          decipher.update(bytes.subarray(0, bytes.length - 16)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw undecryptable();
      }
    },
    keyIds: keys.map(({ id }) => id),
    hashLoginId: (loginId) => hmac(hashKeys[0]!, loginId),
    loginIdHashes: (loginId) => hashKeys.map((key) => hmac(key, loginId)),
  };
}

const KEY_MISSING_MARKER = Symbol.for('flinkit.proxy.KeyMissingError');

/**
 * A stored value was encrypted with a key id the keyring no longer has (a key removed from
 * `FLINKIT_ENCRYPTION_KEYS` too early). Code `encryption_key_missing`, HTTP 500, not
 * recoverable by retrying: the operator must add the key back (after the current one), or the
 * customer must link the account again. `keyId` names the missing key (not a secret); the
 * message, which reaches callers, does not.
 */
export class KeyMissingError extends FlinkitProxyError {
  readonly keyId: string;
  readonly [KEY_MISSING_MARKER] = true;

  constructor(keyId: string) {
    super({
      code: 'encryption_key_missing',
      message:
        'This data was encrypted with a key the server no longer has. Link the account again, or ask the operator to add the key back to FLINKIT_ENCRYPTION_KEYS.',
      recoverable: false,
      status: 500,
    });
    this.name = 'KeyMissingError';
    this.keyId = keyId;
  }

  /** True for a {@link KeyMissingError}, even from another copy of this package. */
  static override isInstance(value: unknown): value is KeyMissingError {
    return typeof value === 'object' && value !== null && KEY_MISSING_MARKER in value;
  }
}

/** The key id inside a stored value (`v1.<keyId>.…`), or null when it has none. */
export function keyIdOf(value: string): string | null {
  const [version, keyId] = value.split('.', 3);
  return version === 'v1' && keyId !== undefined && KEY_ID.test(keyId) ? keyId : null;
}

function hmac(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('hex');
}

function invalid(message: string): ConfigError {
  return new ConfigError('encryptionKeys', message);
}

function undecryptable(): FlinkitProxyError {
  return new FlinkitProxyError({
    code: 'decrypt_failed',
    message:
      'A stored value could not be decrypted: add the key it was written with to the keyring.',
    recoverable: false,
  });
}
