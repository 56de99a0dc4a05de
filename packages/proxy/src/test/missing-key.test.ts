import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { ConnectionResponse } from '@flinkit/core/wire';
import { type Simulator, startSimulator } from '@flinkit/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../base/logger';
import { runCli } from '../cli/run';
import { signUserToken } from '../http/auth';
import { type RunningServer, startServer } from '../http/server';
import { waitUntil } from './instances';

// A restart with a new FLINKIT_ENCRYPTION_KEYS that lacks the key old rows were written with.

const SECRET = 'missing-key-user-token-secret-0123456789';
const k1 = { id: 'k1', key: new Uint8Array(randomBytes(32)) };
const k2 = { id: 'k2', key: new Uint8Array(randomBytes(32)) };
let sim: Simulator;
let directory: string;
let databaseUrl: string;
beforeAll(async () => {
  sim = await startSimulator({ processingMs: 200 });
  directory = mkdtempSync(join(tmpdir(), 'flinkit-missing-key-'));
  databaseUrl = `sqlite:${join(directory, 'db.sqlite')}`;
});
afterAll(async () => {
  await sim.close();
  rmSync(directory, { recursive: true, force: true });
});

async function proxy(keys: Array<{ id: string; key: Uint8Array }>) {
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  const flinks = {
    apiUrl: sim.apiUrl,
    customerId: sim.customerId,
    secretKey: sim.secretKey,
    apiKey: sim.apiKey,
  };
  const server: RunningServer = await startServer({
    port: 0,
    flinks,
    userTokenSecret: SECRET,
    connect: { url: `${sim.apiUrl}/v2/` },
    logger: createLogger({ level: 'info', destination }),
    engineOptions: { databaseUrl, encryptionKeys: keys, pollIntervalMs: 100 },
  });
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${signUserToken({ userId: 'alice', secret: SECRET })}`,
        'content-type': 'application/json',
      },
    });
  const status = async (id: string) =>
    ((await (await call(`/v1/connections/${id}`)).json()) as ConnectionResponse).connection;
  return { server, logs, call, status };
}

describe('a key id no longer configured', () => {
  it('is named once at start with its row counts; reads answer encryption_key_missing; a refresh fails at once', async () => {
    const before = await proxy([k1]);
    const created = await before.call('/v1/connections', {
      method: 'POST',
      body: JSON.stringify({ loginId: sim.createLogin('greatday_nomfa') }),
    });
    const { id } = ((await created.json()) as ConnectionResponse).connection;
    await waitUntil('ready', async () => (await before.status(id)).status === 'ready', 20_000);
    await before.server.close();

    const after = await proxy([k2]);
    try {
      const lines = after.logs
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.event === 'encryption_key_missing');
      expect(lines).toEqual([
        expect.objectContaining({ keyId: 'k1', connections: 1, payloads: 1 }),
      ]);
      expect(lines[0]?.msg).toMatch(/Add "k1:<its base64 key>" back after the current key/);

      const accounts = await after.call(`/v1/connections/${id}/accounts`);
      expect(accounts.status).toBe(500);
      expect(((await accounts.json()) as { error: unknown }).error).toEqual({
        code: 'encryption_key_missing',
        message: expect.stringMatching(/Link the account again/),
        recoverable: false,
      });

      expect((await after.call(`/v1/connections/${id}/refresh`, { method: 'POST' })).status).toBe(
        202,
      );
      await waitUntil(
        'the refresh to fail',
        async () => (await after.status(id)).status === 'failed',
        10_000,
      );
      expect((await after.status(id)).error).toMatchObject({
        code: 'encryption_key_missing',
        recoverable: false,
      });
    } finally {
      await after.server.close();
    }
  }, 60_000);

  it('flinkit migrate needs only the database and the keys, and names the missing key', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      stdout: (line: string) => out.push(line),
      stderr: (line: string) => err.push(line),
    };
    const keys = `k2:${Buffer.from(k2.key).toString('base64')}`;
    expect(
      await runCli(['migrate'], {
        ...io,
        env: { FLINKIT_DATABASE_URL: databaseUrl, FLINKIT_ENCRYPTION_KEYS: keys },
      }),
    ).toBe(0);
    expect(out).toEqual(['flinkit: database schema is up to date.']);
    expect(err).toEqual([expect.stringMatching(/lacks key id "k1": 1 loginId\(s\) and 1 payload/)]);
    expect(await runCli(['migrate'], { ...io, env: { FLINKIT_DATABASE_URL: databaseUrl } })).toBe(
      0,
    );
  });
});
