import { afterEach, describe, expect, it, vi } from 'vitest';
import { listenToConnect } from './listen-to-connect';

const ORIGIN = 'https://toolbox-iframe.private.fin.ag';

function frame(): HTMLIFrameElement {
  const iframe = document.createElement('iframe');
  document.body.append(iframe);
  return iframe;
}

function post(data: unknown, origin: string, source: Window | null) {
  window.dispatchEvent(new MessageEvent('message', { data, origin, source }));
}

/** A `MessageEvent` a page script built itself: browsers mark it `isTrusted: false`. */
function forge(data: unknown, origin: string, source: Window | null) {
  const event = new MessageEvent('message', { data, origin, source });
  Object.defineProperty(event, 'isTrusted', { value: false });
  window.dispatchEvent(event);
}

describe('listenToConnect', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  it('accepts a valid message from the right origin and the right iframe', () => {
    const iframe = frame();
    const onEvent = vi.fn();
    const onInvalid = vi.fn();
    const stop = listenToConnect({ iframe, origin: ORIGIN, onEvent, onInvalid });
    post(
      { step: 'INSTITUTION_SELECTED', institution: 'FlinksCapital' },
      ORIGIN,
      iframe.contentWindow,
    );
    stop();
    expect(onEvent).toHaveBeenCalledOnce();
    expect(onEvent.mock.calls[0]?.[0]).toEqual({
      type: 'institution-selected',
      step: 'INSTITUTION_SELECTED',
      institution: 'FlinksCapital',
    });
    expect(onInvalid).not.toHaveBeenCalled();
  });

  it('refuses the right origin from another window', () => {
    const iframe = frame();
    const other = frame();
    const onEvent = vi.fn();
    const onInvalid = vi.fn();
    const stop = listenToConnect({ iframe, origin: ORIGIN, onEvent, onInvalid });
    post({ step: 'REDIRECT', loginId: 'stolen' }, ORIGIN, other.contentWindow);
    post({ step: 'REDIRECT', loginId: 'stolen' }, ORIGIN, window);
    post({ step: 'REDIRECT', loginId: 'stolen' }, ORIGIN, null);
    stop();
    expect(onEvent).not.toHaveBeenCalled();
    expect(onInvalid.mock.calls.map(([reason]) => reason)).toEqual(['source', 'source', 'source']);
  });

  it('refuses a look-alike origin, even from the right iframe', () => {
    const iframe = frame();
    const onEvent = vi.fn();
    const onInvalid = vi.fn();
    const stop = listenToConnect({ iframe, origin: ORIGIN, onEvent, onInvalid });
    for (const origin of [
      'https://toolbox-iframe.private.fin.ag.evil.example',
      'http://toolbox-iframe.private.fin.ag',
      'https://toolbox-iframe.private.fin.ag:8443',
    ]) {
      post({ step: 'REDIRECT', loginId: 'stolen' }, origin, iframe.contentWindow);
    }
    stop();
    expect(onEvent).not.toHaveBeenCalled();
    expect(onInvalid.mock.calls.map(([reason]) => reason)).toEqual(['origin', 'origin', 'origin']);
  });

  it('refuses a malformed message from the right iframe', () => {
    const iframe = frame();
    const onEvent = vi.fn();
    const onInvalid = vi.fn();
    const stop = listenToConnect({ iframe, origin: ORIGIN, onEvent, onInvalid });
    post({ step: 'REDIRECT' }, ORIGIN, iframe.contentWindow);
    post('not json', ORIGIN, iframe.contentWindow);
    stop();
    expect(onEvent).not.toHaveBeenCalled();
    expect(onInvalid.mock.calls.map(([reason]) => reason)).toEqual(['malformed', 'malformed']);
  });

  it('refuses everything while the iframe has no window', () => {
    const iframe = document.createElement('iframe');
    const onEvent = vi.fn();
    const stop = listenToConnect({ iframe, origin: ORIGIN, onEvent });
    post({ step: 'APP_MOUNTED' }, ORIGIN, null);
    stop();
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('stops listening when unsubscribed, on the injected source', () => {
    const iframe = frame();
    const onEvent = vi.fn();
    const source = { addEventListener: vi.fn(), removeEventListener: vi.fn() };
    const stop = listenToConnect({ iframe, origin: ORIGIN, onEvent, source });
    expect(source.addEventListener).toHaveBeenCalledOnce();
    stop();
    expect(source.removeEventListener).toHaveBeenCalledWith(
      'message',
      source.addEventListener.mock.calls[0]?.[1],
    );
    const windowStop = listenToConnect({ iframe, origin: ORIGIN, onEvent });
    windowStop();
    post({ step: 'APP_MOUNTED' }, ORIGIN, iframe.contentWindow);
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('refuses an event a page script built, even with the right origin and source', () => {
    const iframe = frame();
    const onEvent = vi.fn();
    const onInvalid = vi.fn();
    const stop = listenToConnect({ iframe, origin: ORIGIN, onEvent, onInvalid });
    forge({ step: 'REDIRECT', loginId: 'forged' }, ORIGIN, iframe.contentWindow);
    post({ step: 'APP_MOUNTED' }, ORIGIN, iframe.contentWindow);
    stop();
    expect(onInvalid.mock.calls.map(([reason]) => reason)).toEqual(['untrusted']);
    expect(onEvent.mock.calls.map(([event]) => event.step)).toEqual(['APP_MOUNTED']);
  });
});
