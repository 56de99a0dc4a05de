import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlaygroundError } from './errors';
import { loadOrCreateSecrets, SECRETS_FILE } from './secrets';

describe('loadOrCreateSecrets', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'flinkit-secrets-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('creates every secret on the first run, readable by the owner only', async () => {
    const dataDir = join(directory, 'state');
    const { secrets, created, path } = await loadOrCreateSecrets(dataDir);
    expect(created).toBe(true);
    expect(path).toBe(join(dataDir, SECRETS_FILE));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    const [keyId, key] = secrets.encryptionKeys.split(':');
    expect(keyId).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(key ?? '', 'base64')).toHaveLength(32);
    expect(secrets.forwardSecret).toMatch(/^whsec_/);
    expect(new Set(Object.values(secrets)).size).toBe(4);
  });

  it('returns the same secrets on a second run', async () => {
    const first = await loadOrCreateSecrets(directory);
    const second = await loadOrCreateSecrets(directory);
    expect(second.created).toBe(false);
    expect(second.secrets).toEqual(first.secrets);
  });

  it('tightens a secrets file that others could read', async () => {
    const { path } = await loadOrCreateSecrets(directory);
    await chmod(path, 0o644);
    await loadOrCreateSecrets(directory);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('refuses a file that is not a playground secrets file, and says how to recover', async () => {
    await writeFile(join(directory, SECRETS_FILE), '{"encryptionKeys":"nope"}');
    const error = await loadOrCreateSecrets(directory).catch((caught: unknown) => caught);
    expect(PlaygroundError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'invalid_state_file', recoverable: false });
    expect((error as Error).message).toContain('Delete');
    // The broken file is left alone for the user to inspect.
    expect(await readFile(join(directory, SECRETS_FILE), 'utf8')).toBe('{"encryptionKeys":"nope"}');
  });
});
