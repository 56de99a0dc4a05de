import { afterEach, describe, expect, it, vi } from 'vitest';
import { autoMount, whenParsed } from './auto-mount.js';
import type { WidgetHandle, WidgetOptions } from './types.js';

function fakeMount() {
  const calls: Array<{ element: Element; options: WidgetOptions }> = [];
  const mount = vi.fn((element: Element, options: WidgetOptions): WidgetHandle => {
    calls.push({ element, options });
    return { open: vi.fn(), close: vi.fn(), destroy: vi.fn(), on: vi.fn(() => () => {}) };
  });
  return { mount, calls };
}

afterEach(() => {
  document.body.innerHTML = '';
  delete (window as { FlinkitConfig?: unknown }).FlinkitConfig;
});

describe('autoMount', () => {
  it('mounts each [data-flinkit] element but skips data-flinkit-manual', () => {
    document.body.innerHTML = `
      <div id="a" data-flinkit data-proxy-url="https://p.test" data-language="en"></div>
      <div id="b" data-flinkit data-flinkit-manual data-proxy-url="https://p.test"></div>
      <div id="c" data-flinkit data-proxy-url="https://q.test" data-nonce="own"></div>`;
    const { mount, calls } = fakeMount();
    const handles = autoMount(document, { nonce: 'script' }, mount);
    expect(handles).toHaveLength(2);
    expect(calls.map((call) => call.element.id)).toEqual(['a', 'c']);
    expect(calls[0]?.options).toMatchObject({ proxyUrl: 'https://p.test', nonce: 'script' });
    expect(calls[1]?.options).toMatchObject({ proxyUrl: 'https://q.test', nonce: 'own' });
  });

  it('uses window.FlinkitConfig.getToken', () => {
    const getToken = () => 'token';
    (window as { FlinkitConfig?: unknown }).FlinkitConfig = { getToken };
    document.body.innerHTML = '<div data-flinkit data-proxy-url="https://p.test"></div>';
    const { mount, calls } = fakeMount();
    autoMount(document, {}, mount);
    expect(calls[0]?.options.getToken).toBe(getToken);
  });

  it('reports a misconfigured element with flinkit:error and mounts the others', () => {
    document.body.innerHTML = `
      <div id="bad" data-flinkit></div>
      <div id="good" data-flinkit data-proxy-url="https://p.test"></div>`;
    const errors: unknown[] = [];
    document.addEventListener(
      'flinkit:error',
      (event) => errors.push((event as CustomEvent).detail),
      {
        once: true,
      },
    );
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { mount, calls } = fakeMount();
    autoMount(document, {}, mount);
    expect(calls.map((call) => call.element.id)).toEqual(['good']);
    expect(errors[0]).toMatchObject({ code: 'invalid_option', recoverable: false });
    expect(consoleError).toHaveBeenCalledOnce();
    consoleError.mockRestore();
  });
  it('reports a data-language it does not speak with flinkit:error invalid_option', () => {
    document.body.innerHTML =
      '<div data-flinkit data-proxy-url="https://p.test" data-language="de"></div>';
    const element = document.querySelector('div') as HTMLElement;
    const errors: unknown[] = [];
    element.addEventListener('flinkit:error', (event) =>
      errors.push((event as CustomEvent).detail),
    );
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(autoMount(document)).toEqual([]);
    expect(errors).toEqual([
      expect.objectContaining({ code: 'invalid_option', recoverable: false }),
    ]);
    expect((errors[0] as { message: string }).message).toContain('"de"');
    expect(element.childElementCount).toBe(0);
    consoleError.mockRestore();
  });
});

describe('whenParsed', () => {
  it('runs at once when the document is already parsed', () => {
    const callback = vi.fn();
    whenParsed(document, callback);
    expect(callback).toHaveBeenCalledOnce();
  });

  it('waits for DOMContentLoaded while the document is loading', () => {
    const target = new EventTarget();
    const loading = Object.assign(target, { readyState: 'loading' }) as unknown as Document;
    const callback = vi.fn();
    whenParsed(loading, callback);
    expect(callback).not.toHaveBeenCalled();
    target.dispatchEvent(new Event('DOMContentLoaded'));
    target.dispatchEvent(new Event('DOMContentLoaded'));
    expect(callback).toHaveBeenCalledOnce();
  });
});
