import { describe, expect, it, vi } from 'vitest';
import { SimulatorError } from './errors.js';
import { startSimulator } from './simulator.js';
import { describeFlinksContract } from './test-contract.js';

describeFlinksContract('node:http server', async (options) => startSimulator(options));

describe('startSimulator', () => {
  it('serves on 127.0.0.1 with the Toolbox credentials by default', async () => {
    const sim = await startSimulator();
    try {
      expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sim.apiUrl).toBe(sim.url);
      expect(sim.connectUrl).toBe(`${sim.url}/v2/`);
      expect(sim.customerId).toBe('43387ca6-0391-4c82-857d-70d95f087ecb');
      expect(sim.secretKey).toBe('c4569c54-e167-4d34-8de6-f4113bc82414');
      expect(sim.apiKey).toBe('3d5266a8-b697-48d4-8de6-52e2e2662acc');
    } finally {
      await sim.close();
    }
  });

  it('refuses connections after close', async () => {
    const sim = await startSimulator();
    await sim.close();
    await expect(fetch(`${sim.url}/v2/`)).rejects.toThrow();
  });

  it('throws unknown_username for a username outside the Toolbox table', async () => {
    const sim = await startSimulator();
    try {
      let caught: unknown;
      try {
        sim.createLogin('alice');
      } catch (error) {
        caught = error;
      }
      expect(SimulatorError.isInstance(caught)).toBe(true);
      expect(caught).toMatchObject({ code: 'unknown_username', recoverable: true });
      expect(() => sim.createLogin('greatday_nomfa', { institution: 'Nowhere Bank' })).toThrow(
        expect.objectContaining({ code: 'unknown_institution' }),
      );
    } finally {
      await sim.close();
    }
  });

  it('gives the same loginId to the same username at the same institution, and another elsewhere', async () => {
    const sim = await startSimulator();
    try {
      const first = sim.createLogin('greatday_nomfa');
      expect(sim.createLogin('greatday_nomfa')).toBe(first);
      expect(sim.createLogin('greatday_nomfa', { institution: 'RBC' })).not.toBe(first);
    } finally {
      await sim.close();
    }
  });

  it('answers INVALID_LOGIN with 400 when invalidLoginStatus is 400', async () => {
    const sim = await startSimulator({
      invalidLoginStatus: 400,
      deleteCardUnknown: 'INVALID_LOGIN',
    });
    try {
      const base = `${sim.url}/v3/${sim.customerId}/BankingServices`;
      const response = await fetch(`${base}/DeleteCard/nobody`, {
        method: 'DELETE',
        headers: { 'x-api-key': sim.apiKey, 'content-type': 'application/json' },
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        HttpStatusCode: 400,
        FlinksCode: 'INVALID_LOGIN',
      });
    } finally {
      await sim.close();
    }
  });

  it('answers 400 SESSION_NONEXISTENT, not a crash, to a malformed escape in the path', async () => {
    const sim = await startSimulator();
    try {
      const response = await fetch(
        `${sim.url}/v3/${sim.customerId}/BankingServices/GetAccountsDetailAsync/%E0%A4%A`,
        {
          headers: { 'x-api-key': sim.apiKey },
        },
      );
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ FlinksCode: 'SESSION_NONEXISTENT' });
    } finally {
      await sim.close();
    }
  });

  it('holds answers of a latency fault while other endpoints answer', async () => {
    const sim = await startSimulator({
      faults: [{ endpoint: 'GenerateAuthorizeToken', kind: 'latency', latencyMs: 60_000 }],
    });
    const base = `${sim.url}/v3/${sim.customerId}/BankingServices`;
    let settled = false;
    const slow = fetch(`${base}/GenerateAuthorizeToken`, {
      method: 'POST',
      headers: { 'flinks-auth-key': sim.secretKey },
    }).finally(() => {
      settled = true;
    });
    slow.catch(() => undefined);
    // Wait until the slow request is in (not a timing assertion: only its arrival).
    await vi.waitFor(() =>
      expect(sim.requests().map((entry) => entry.endpoint)).toContain('GenerateAuthorizeToken'),
    );
    const fast = await fetch(`${base}/GetAccountsDetailAsync/x`, {
      headers: { 'x-api-key': sim.apiKey },
    });
    expect(fast.status).toBe(400);
    expect(settled).toBe(false);
    await sim.close();
    await expect(slow).rejects.toThrow();
  });

  it('answers 413 to a body over 1 MiB instead of buffering it', async () => {
    const sim = await startSimulator();
    try {
      const response = await fetch(`${sim.url}/v3/${sim.customerId}/BankingServices/Authorize`, {
        method: 'POST',
        body: 'x'.repeat(1024 * 1024 + 1),
      });
      expect(response.status).toBe(413);
    } finally {
      await sim.close();
    }
  });
});
