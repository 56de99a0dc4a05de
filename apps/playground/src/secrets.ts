import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PlaygroundError } from './errors';

/** The secrets a playground keeps between runs, so its database stays readable. */
export interface PlaygroundSecrets {
  /** `FLINKIT_ENCRYPTION_KEYS`: one `keyId:base64` key of 32 bytes. */
  encryptionKeys: string;
  /** `FLINKIT_USER_TOKEN_SECRET`: signs the demo user's bearer tokens. */
  userTokenSecret: string;
  /** `FLINKS_WEBHOOK_SECRET`: the simulator signs its webhooks with it, the proxy verifies. */
  webhookSecret: string;
  /** `FLINKIT_FORWARD_SECRET`: the proxy signs forwarded payloads (Standard Webhooks `whsec_…`). */
  forwardSecret: string;
}

/** Name of the secrets file inside the data directory (mode 0600). */
export const SECRETS_FILE = 'secrets.json';

const KEY_PATTERN = /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=$/;

/** Fresh random secrets. */
export function generateSecrets(): PlaygroundSecrets {
  return {
    encryptionKeys: `pg${randomBytes(4).toString('hex')}:${randomBytes(32).toString('base64')}`,
    userTokenSecret: randomBytes(32).toString('base64url'),
    webhookSecret: randomBytes(32).toString('base64url'),
    forwardSecret: `whsec_${randomBytes(32).toString('base64')}`,
  };
}

function parseSecrets(text: string): PlaygroundSecrets | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const fields = ['encryptionKeys', 'userTokenSecret', 'webhookSecret', 'forwardSecret'] as const;
  for (const field of fields) {
    const item = record[field];
    if (typeof item !== 'string' || item.length < 16) return null;
  }
  const secrets = record as unknown as PlaygroundSecrets;
  return KEY_PATTERN.test(secrets.encryptionKeys) ? secrets : null;
}

/**
 * Reads `<dataDir>/secrets.json`, or creates it (mode 0600, directory 0700) on the first run.
 * A second run gets the same secrets, so the same database file stays readable.
 *
 * @throws PlaygroundError `invalid_state_file` when the file exists but is not ours.
 */
export async function loadOrCreateSecrets(
  dataDir: string,
): Promise<{ secrets: PlaygroundSecrets; created: boolean; path: string }> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, SECRETS_FILE);
  let text: string | null = null;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== null) {
    const secrets = parseSecrets(text);
    if (secrets === null) {
      throw new PlaygroundError(
        'invalid_state_file',
        `${path} is not a playground secrets file. Delete ${dataDir} to start fresh (its connections will be lost).`,
      );
    }
    // Tighten a file someone copied with looser permissions.
    await chmod(path, 0o600);
    return { secrets, created: false, path };
  }
  const secrets = generateSecrets();
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await rename(temporary, path);
  return { secrets, created: true, path };
}
