import { describe, expect, it } from 'vitest';
import { pathOnly } from './logger';

describe('pathOnly', () => {
  it('keeps the path of an absolute URL and drops the query, where a ticket may be', () => {
    expect(pathOnly('http://127.0.0.1:8787/v1/connections/c1/events?ticket=secret')).toBe(
      '/v1/connections/c1/events',
    );
    expect(pathOnly('https://proxy.example.com/healthz#top')).toBe('/healthz');
    expect(pathOnly('https://proxy.example.com')).toBe('/');
    expect(pathOnly('https://proxy.example.com?ticket=secret')).toBe('/');
  });

  it('keeps a relative path without its query, even when the query holds a URL', () => {
    expect(pathOnly('/v1/connections?next=http://a/b&ticket=secret')).toBe('/v1/connections');
  });
});
