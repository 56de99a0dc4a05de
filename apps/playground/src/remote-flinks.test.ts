import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signUserToken } from '@flinkit/proxy/webhooks';
import { type Simulator, startSimulator } from '@flinkit/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER_ID, type Playground, startPlayground } from './playground';
import { loadOrCreateSecrets } from './secrets';

// A simulator started here stands in for the real Toolbox: the playground must treat it as a
// remote Flinks (no simulator of its own) and hand the proxy the FLINKS_* values unchanged.
describe('startPlayground with FLINKS_API_URL set', () => {
  let workDir: string;
  let remote: Simulator;
  let playground: Playground;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'flinkit-remote-'));
    await writeFile(join(workDir, 'page.html'), '<p>page</p>');
    remote = await startSimulator();
    playground = await startPlayground({
      dataDir: join(workDir, 'state'),
      ports: 0,
      pagesDir: workDir,
      env: {
        FLINKS_API_URL: remote.apiUrl,
        FLINKS_CONNECT_URL: remote.connectUrl,
        FLINKS_CUSTOMER_ID: remote.customerId,
        FLINKS_SECRET_KEY: remote.secretKey,
        FLINKS_API_KEY: remote.apiKey,
      },
    });
  });

  afterAll(async () => {
    await playground?.close();
    await remote?.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it('starts no simulator and opens Connect sessions on the configured Flinks', async () => {
    expect(playground.simulatorUrl).toBeNull();
    const { secrets } = await loadOrCreateSecrets(playground.dataDir);
    const token = signUserToken({ userId: DEMO_USER_ID, secret: secrets.userTokenSecret });
    const response = await fetch(`${playground.proxyUrl}/v1/connect/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(200);
    const { url } = (await response.json()) as { url: string };
    expect(url.startsWith(remote.connectUrl)).toBe(true);
    expect(remote.requests().map((entry) => entry.endpoint)).toContain('GenerateAuthorizeToken');
  });

  it('lets the pages frame the remote Connect origin and call the proxy, nothing else', async () => {
    const page = await fetch(new URL('/page.html', playground.url));
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain(`frame-src ${new URL(remote.connectUrl).origin};`);
    expect(policy).toContain(`connect-src 'self' ${playground.proxyUrl};`);
  });
});
