import type { Connection, ConnectionListResponse, ErrorBody } from '@flinkit/core';

/** `GET /api/config`: where the proxy is. */
export interface DemoConfig {
  proxyUrl: string;
}

/** Reads the playground's config from the stand-in host backend. */
export async function loadConfig(): Promise<DemoConfig> {
  const response = await fetch('/api/config');
  if (!response.ok)
    throw new Error(`The playground server answered ${response.status} for /api/config.`);
  return (await response.json()) as DemoConfig;
}

/**
 * The demo user's short-lived proxy token, from the stand-in host backend (`GET /api/token`).
 * In a real product your backend mints it for the signed-in user (`signUserToken`).
 */
export async function getDemoToken(): Promise<string> {
  const response = await fetch('/api/token', { credentials: 'same-origin' });
  if (!response.ok)
    throw new Error(`The playground server answered ${response.status} for /api/token.`);
  return ((await response.json()) as { token: string }).token;
}

/** `GET /v1/connections` for the demo user, newest first. */
export async function listConnections(proxyUrl: string): Promise<Connection[]> {
  const response = await fetch(`${proxyUrl}/v1/connections`, {
    headers: { authorization: `Bearer ${await getDemoToken()}` },
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as ErrorBody | null;
    throw new Error(body?.error.message ?? `The proxy answered ${response.status}.`);
  }
  return ((await response.json()) as ConnectionListResponse).connections;
}
