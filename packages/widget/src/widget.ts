import { elementBuilder, patch } from './dom.js';
import { type PanelInput, statusPanel } from './status-panel.js';
import { getStrings } from './strings.js';
import type { WidgetLanguage } from './types.js';

/** What the view calls back: the iframe's arrival and departure, and its one button. */
export interface ViewActions {
  /** The Connect iframe is in the page (once per iframe), or gone (`null`). */
  attach: (iframe: HTMLIFrameElement | null) => void;
  /** The panel's button: retry after an error, start again after Connect was closed. */
  onAction: () => void;
}

/** The widget's DOM: `root` to put in the page, `render()` to bring it in line with a snapshot. */
export interface View {
  root: Element;
  render(input: PanelInput): void;
}

// What Connect needs to run (scripts, its own storage, forms, the OAuth popup), and no more.
const SANDBOX =
  'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox';

/**
 * The Connect iframe while the customer links a bank, then the status panel. Each render keeps
 * what did not change: the iframe lives from the session's start to the link (a renewed session
 * only changes its `src`), and the panel is patched node by node.
 */
export function createView(
  document: Document,
  language: WidgetLanguage,
  actions: ViewActions,
): View {
  const element = elementBuilder(document);
  const strings = getStrings(language);
  const status = element('div', { class: 'flinkit-status', role: 'status', 'aria-live': 'polite' });
  const root = element('div', { class: 'flinkit', lang: language }, status);
  // One listener for the panel's button, whichever render made it.
  status.addEventListener('click', (event) => {
    if ((event.target as Element).closest('button')) actions.onAction();
  });
  let iframe: HTMLIFrameElement | null = null;

  const render = (input: PanelInput) => {
    const { status: flow, url } = input.state;
    const linking = flow === 'ready' || flow === 'linking';
    const src = linking ? url : null;
    if (src && !iframe) {
      iframe = element('iframe', {
        class: 'flinkit-frame',
        title: strings.frameTitle,
        sandbox: SANDBOX,
        src,
      }) as HTMLIFrameElement;
      root.prepend(iframe);
      actions.attach(iframe);
    } else if (src && iframe) {
      if (iframe.getAttribute('src') !== src) iframe.setAttribute('src', src);
    } else if (iframe) {
      iframe.remove();
      iframe = null;
      actions.attach(null);
    }
    patch(status, statusPanel(input, { element, strings, language }));
  };
  return { root, render };
}
