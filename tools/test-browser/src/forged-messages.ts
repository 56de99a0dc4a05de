/// <reference lib="dom" />
// Its functions run in the page (Playwright `evaluate`): they need the DOM types wherever this file is compiled.
import type { Frame, Page } from 'playwright-core';

/** Where the forged messages of {@link sendForgedMessages} come from. */
export interface ForgeryOptions {
  /** The page that shows the Connect iframe (the widget's or the React hook's). */
  page: Page;
  /** A selector of that Connect iframe. */
  iframe: string;
  /**
   * A page of the Connect origin (e.g. the simulator's `/v2/`), opened as a sibling iframe and as
   * a popup: same origin as Connect, other windows.
   */
  connectPage: string;
  /** Pages whose origin differs from Connect's only by host spelling or port. */
  lookalikes: readonly string[];
}

/** The loginIds the forged REDIRECTs carry: none may ever reach the proxy or the page. */
export const FORGED_LOGIN = /^forged-/;

/** Markup a hostile payload puts in an institution name and a FlinksCode. */
const MARKUP = '<img id="pwned" src="x" onerror="window.pwned = 1">';

/**
 * Posts to the page, before any genuine link, every message a hostile party could: a REDIRECT
 * (object and JSON string) from the page itself, from a sibling iframe and a popup of the Connect
 * origin, and from look-alike origins; a `MessageEvent` a page script built with Connect's origin
 * and the iframe's window as source; and, from the genuine Connect iframe itself, payloads that
 * try prototype pollution, a 5 MB string, `javascript:`/`data:`/relative REDIRECT urls and markup.
 * Every forged REDIRECT names a `forged-…` loginId. The caller then links for real and asserts
 * that only the genuine link counted.
 */
export async function sendForgedMessages(options: ForgeryOptions): Promise<void> {
  const { page } = options;
  const redirect = (source: string) => ({ step: 'REDIRECT', loginId: `forged-${source}` });
  // After each batch a sentinel from the same window: messages from one window arrive in order,
  // so once the page has seen the sentinel (its listener comes after the one under test), the
  // listener under test has handled the whole batch.
  await page.evaluate(() => {
    const seen = new Set<unknown>();
    (window as unknown as { forgerySentinels: Set<unknown> }).forgerySentinels = seen;
    window.addEventListener('message', (event) => seen.add(event.data?.sentinel));
  });
  let batches = 0;
  const postFrom = async (
    from: Page | Frame,
    messages: unknown[],
    target: 'self' | 'parent' | 'opener',
  ) => {
    const sentinel = `batch-${++batches}`;
    await from.evaluate(
      ({ list, to }) => {
        const window_ = to === 'self' ? window : to === 'parent' ? window.parent : window.opener;
        for (const message of list) (window_ as Window).postMessage(message, '*');
      },
      { list: [...messages, { sentinel }], to: target },
    );
    await page.waitForFunction(
      (name) =>
        (window as unknown as { forgerySentinels: Set<unknown> }).forgerySentinels.has(name),
      sentinel,
    );
  };

  await postFrom(page, [redirect('self'), JSON.stringify(redirect('self-json'))], 'self');

  const connectOrigin = new URL(options.connectPage).origin;
  await page.evaluate(
    ({ selector, origin, data }) => {
      const frame = document.querySelector<HTMLIFrameElement>(selector);
      const source = frame?.contentWindow ?? null;
      window.dispatchEvent(new MessageEvent('message', { data, origin, source }));
    },
    { selector: options.iframe, origin: connectOrigin, data: redirect('synthetic') },
  );

  for (const [index, url] of [options.connectPage, ...options.lookalikes].entries()) {
    const frame = await addFrame(page, url, `forger-${index}`);
    const messages = [redirect(`frame-${index}`), JSON.stringify(redirect(`frame-${index}-json`))];
    await postFrom(frame, messages, 'parent');
    await page.evaluate((id) => document.getElementById(id)?.remove(), `forger-${index}`);
  }

  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    page.evaluate((url) => void window.open(url, 'forger'), options.connectPage),
  ]);
  await popup.waitForLoadState();
  await postFrom(popup, [redirect('popup')], 'opener');
  await popup.close();

  const connect = await (await page.$(options.iframe))?.contentFrame();
  if (!connect) {
    throw new Error(
      `${options.iframe} left the page during the forgeries: a forged message was taken as a link.`,
    );
  }
  const hostile: unknown[] = [
    '{"__proto__":{"polluted":"yes"},"step":"APP_MOUNTED"}',
    JSON.parse('{"__proto__":{"polluted":"yes"},"step":"INSTITUTION_SELECTED"}'),
    { constructor: { prototype: { polluted: 'yes' } }, step: 'APP_RESIZE' },
    { step: 'INSTITUTION_SELECTED', institution: 'A'.repeat(5_000_000) },
    { step: 'INSTITUTION_SELECTED', institution: MARKUP },
    { flinksCode: 'RETRY_LATER', step: 'ERROR', institution: MARKUP },
    { step: 'REDIRECT', url: 'javascript:alert(1)//?loginId=forged-javascript' },
    { step: 'REDIRECT', url: 'data:text/html,x?loginId=forged-data' },
    { step: 'REDIRECT', url: '/done?loginId=forged-relative' },
    { step: 'REDIRECT', loginId: ['forged-array'] },
  ];
  await postFrom(connect, hostile, 'parent');
}

/** What a hostile payload may have left behind on the page; every field must be false. */
export async function pageHarm(page: Page): Promise<Record<string, boolean>> {
  return page.evaluate(() => ({
    prototypePolluted: 'polluted' in {} || 'polluted' in Object.prototype,
    markupRendered: document.getElementById('pwned') !== null,
    scriptRan: 'pwned' in window,
  }));
}

async function addFrame(page: Page, url: string, id: string): Promise<Frame> {
  await page.evaluate(
    ({ src, frameId }) =>
      new Promise<void>((resolve, reject) => {
        const frame = document.createElement('iframe');
        frame.id = frameId;
        frame.src = src;
        frame.onload = () => resolve();
        frame.onerror = () => reject(new Error(`could not load ${src}`));
        document.body.append(frame);
      }),
    { src: url, frameId: id },
  );
  const handle = await page.waitForSelector(`#${id}`);
  const frame = await handle.contentFrame();
  if (!frame) throw new Error(`#${id} has no frame`);
  return frame;
}
