// @vitest-environment node
import { describe, expect, it } from 'vitest';

describe('@flinkit/core under Node', () => {
  it('imports without a DOM and creates a store without touching window', async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    const core = await import('./index');
    expect(Object.keys(core).sort()).toEqual([
      'FlinkitError',
      'IFRAME_SANDBOX',
      'STATUS_EVENT',
      'TERMINAL_STATUSES',
      'buildConnectUrl',
      'createFlinksConnect',
      'createProxyClient',
      'initialState',
      'isLinkable',
      'isTerminalStatus',
      'listenToConnect',
      'parseConnectMessage',
      'readRedirectResult',
      'reduce',
    ]);
    const connect = core.createFlinksConnect({ proxyUrl: 'https://proxy.test' });
    expect(connect.getState().status).toBe('idle');
    connect.attach(null);
    connect.destroy();
  });
});
