// The dark palette, for `prefers-color-scheme: dark` and for `theme: 'dark'`.
const DARK =
  '--fa:var(--flinkit-accent,#93b4ff);--fat:var(--flinkit-accent-text,#0b1220);' +
  '--fb:var(--flinkit-background,#111827);--ft:var(--flinkit-text,#f3f4f6);' +
  '--fm:var(--flinkit-muted,#9ca3af);--fl:var(--flinkit-border,#374151);' +
  '--fe:var(--flinkit-error,#fca5a5)';

/** The class on `<html>` while a modal is open: the page behind does not scroll. */
export const LOCK_CLASS = 'flinkit-lock';

/**
 * The widget's only CSS, scoped under `.flinkit`. The public custom properties
 * (`--flinkit-accent`, …, set by the site on the host element or any ancestor) feed short private
 * ones with the light defaults, replaced by the dark ones under `prefers-color-scheme: dark`.
 */
export const CSS =
  '.flinkit{--fa:var(--flinkit-accent,#1d4ed8);--fat:var(--flinkit-accent-text,#fff);' +
  '--fb:var(--flinkit-background,#fff);--ft:var(--flinkit-text,#1f2937);' +
  '--fm:var(--flinkit-muted,#4b5563);--fl:var(--flinkit-border,#d1d5db);' +
  '--fe:var(--flinkit-error,#b91c1c);--fr:var(--flinkit-radius,8px);' +
  'font-family:var(--flinkit-font,inherit);color:var(--ft);line-height:1.5}' +
  `@media (prefers-color-scheme:dark){.flinkit:not([data-theme=light]){${DARK}}}` +
  `.flinkit[data-theme=dark]{${DARK}}` +
  '.flinkit-body{background:var(--fb);border:1px solid var(--fl);border-radius:var(--fr);overflow:hidden}' +
  '.flinkit-frame{display:block;width:100%;height:var(--flinkit-frame-height,640px);border:0}' +
  '.flinkit-status{padding:1rem 1.25rem}.flinkit-status:empty{padding:0}' +
  '.flinkit-status:focus{outline:0}' +
  '.flinkit p{margin:0 0 .75rem}' +
  '.flinkit progress{display:block;width:100%;height:.5rem;accent-color:var(--fa)}' +
  '.flinkit-note{color:var(--fm);font-size:.9em}' +
  '.flinkit ul{list-style:none;margin:0;padding:0}' +
  '.flinkit li{display:flex;justify-content:space-between;gap:1rem;padding:.6rem 0;border-top:1px solid var(--fl)}' +
  '.flinkit li span+span{font-variant-numeric:tabular-nums;font-weight:600;white-space:nowrap}' +
  '.flinkit-error{color:var(--fe);font-weight:600}' +
  '.flinkit-notice{border-left:4px solid var(--fa);padding:.5rem 0 .5rem .85rem;margin:0 0 1rem}' +
  '.flinkit-done{margin-top:1rem}' +
  '.flinkit button{font:inherit;font-weight:600;padding:.55rem 1.1rem;border:0;' +
  'border-radius:var(--fr);background:var(--fa);color:var(--fat);cursor:pointer}' +
  '.flinkit button:focus-visible{outline:3px solid var(--fa);outline-offset:2px}' +
  '.flinkit-dialog{padding:0;border:0;border-radius:var(--fr);background:var(--fb);color:var(--ft);' +
  'width:min(30rem,calc(100% - 2rem));max-height:calc(100% - 2rem);box-shadow:0 1.5rem 3rem #0006}' +
  '.flinkit-dialog::backdrop{background:var(--flinkit-backdrop,#0f172a99)}' +
  // One height in every state, Connect's, with the status centred in it: the dialog never jumps.
  '.flinkit-dialog .flinkit-body{--fh:min(var(--flinkit-frame-height,640px),calc(100vh - 8rem));' +
  'border:0;border-radius:0;display:flex;flex-direction:column;min-height:var(--fh)}' +
  '.flinkit-dialog .flinkit-frame{height:var(--fh);flex:none}' +
  '.flinkit-dialog .flinkit-status{margin:auto 0}' +
  '.flinkit-head{display:flex;align-items:center;justify-content:space-between;gap:1rem;' +
  'padding:.5rem .5rem .5rem 1.25rem;border-bottom:1px solid var(--fl)}' +
  '.flinkit-head h2{margin:0;font-size:1.05rem}' +
  '.flinkit .flinkit-close{background:none;color:var(--fm);font-size:1.5rem;line-height:1;padding:.25rem .6rem}' +
  `html.${LOCK_CLASS}{overflow:hidden}`;

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
