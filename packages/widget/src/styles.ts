/** The widget's only CSS, scoped under `.flinkit`. */
export const CSS =
  '.flinkit-frame{display:block;width:100%;height:640px;border:0}' +
  '.flinkit progress{width:100%}' +
  '.flinkit ul{list-style:none;padding:0}' +
  '.flinkit li{display:flex;justify-content:space-between;gap:1em;padding:.5em 0;border-top:1px solid #8886}' +
  '.flinkit-error{color:#b00020}' +
  '.flinkit button{font:inherit;padding:.5em 1em;cursor:pointer}' +
  '.flinkit button:focus-visible{outline:3px solid #1a73e8;outline-offset:2px}';

const SELECTOR = 'style[data-flinkit-style]';
const COUNT = 'data-flinkit-count';

/**
 * Adds the stylesheet to `document` unless a widget already did, and returns the function that
 * gives it back: the `<style>` goes when the last widget releases it. The count lives on the
 * element itself, so two copies of the script on one page still share one stylesheet.
 */
export function acquireStylesheet(document: Document, nonce: string | undefined): () => void {
  let style = document.head.querySelector(SELECTOR);
  if (!style) {
    style = document.createElement('style');
    style.setAttribute('data-flinkit-style', '');
    if (nonce) style.setAttribute('nonce', nonce);
    style.textContent = CSS;
    document.head.append(style);
  }
  const element = style;
  const add = (delta: number) => {
    const count = Number(element.getAttribute(COUNT)) + delta;
    element.setAttribute(COUNT, `${count}`);
    if (!count) element.remove();
  };
  add(1);
  // Once per widget: its destroy() runs once.
  return () => add(-1);
}
