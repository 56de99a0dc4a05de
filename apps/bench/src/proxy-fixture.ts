import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineOptions } from '@flinkit/proxy';

/** Flinks credentials and URL of a running simulator, as the proxy needs them. */
export interface FlinksTarget {
  apiUrl: string;
  customerId: string;
  secretKey: string;
  apiKey: string;
  /** The simulator's Connect iframe (`/v2/`). */
  connectUrl: string;
}

/** The target of a running simulator. */
export function flinksTargetOf(sim: FlinksTarget): FlinksTarget {
  return {
    apiUrl: sim.apiUrl,
    customerId: sim.customerId,
    secretKey: sim.secretKey,
    apiKey: sim.apiKey,
    connectUrl: sim.connectUrl,
  };
}

/** A temporary SQLite database file and fresh encryption keys for one engine. */
export interface EngineStorage {
  databaseUrl: string;
  dir: string;
  encryptionKeys: EngineOptions['encryptionKeys'];
  remove(): void;
}

/** A fresh temp dir with `flinkit.db` (created by the engine) and one random 32-byte key. */
export function createEngineStorage(keyBase64?: string): EngineStorage {
  const dir = mkdtempSync(join(tmpdir(), 'flinkit-bench-'));
  return {
    databaseUrl: `sqlite:${join(dir, 'flinkit.db')}`,
    dir,
    encryptionKeys: [
      { id: 'bench', key: keyBase64 ? Buffer.from(keyBase64, 'base64') : randomBytes(32) },
    ],
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The HS256 secret of the bench's user tokens (a bench-only value). */
export const BENCH_USER_TOKEN_SECRET = 'flinkit-bench-user-token-secret-0123456789';

/** Per-user rate limits high enough that a load test measures the route, not the limiter. */
export const UNLIMITED_RATE = {
  sessions: { limit: 1_000_000, windowMs: 60_000 },
  connections: { limit: 1_000_000, windowMs: 60_000 },
};
