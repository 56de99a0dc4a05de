// preact's `h`, as in tsconfig.json, said per file too: a package that compiles this source
// with its own JSX settings (@flinkit/react's cross-adapter test) must not read it as React's.
/** @jsxRuntime classic */
/** @jsx h */
/** @jsxFrag Fragment */
import { IFRAME_SANDBOX, isLinkable } from '@flinkit/core';
// biome-ignore lint/correctness/noUnusedImports: the JSX factory (tsconfig `jsxFactory`).
import { h } from 'preact';
import { type PanelProps, statusPanel } from './status-panel.js';
import type { WidgetTheme } from './types.js';

/** Everything the widget renders from: a snapshot of the flow and of the modal, and the handlers. */
export interface ViewProps extends PanelProps {
  theme: WidgetTheme;
  /** Modal mode: a launch button, and the dialog while `open`. */
  modal: boolean;
  open: boolean;
  /** The launch button's text and the dialog's title. */
  label: string;
  /** Id of the dialog's title (unique per widget). */
  titleId: string;
  /** The iframe's ref: one function for the widget's life, so preact never re-attaches it. */
  attach: (iframe: HTMLIFrameElement | null) => void;
  onOpen: () => void;
  onClose: () => void;
  /** The dialog's `cancel` (Esc). */
  onCancel: (event: Event) => void;
}

/**
 * The widget: inline, the Connect iframe while it drives the flow (core's `isLinkable`, the one
 * rule every adapter follows) above the status panel; in modal mode, a launch button and a
 * dialog holding the same.
 */
export function View(props: ViewProps) {
  const { state, strings, modal, label } = props;
  const body = (
    <div class="flinkit-body">
      {isLinkable(state) && state.url && (
        <iframe
          ref={props.attach}
          class="flinkit-frame"
          title={strings.frameTitle}
          sandbox={IFRAME_SANDBOX}
          src={state.url}
        />
      )}
      <div class="flinkit-status" role="status" aria-live="polite" tabIndex={-1}>
        {statusPanel({ ...props, onDone: modal && props.onClose })}
      </div>
    </div>
  );
  return (
    <div class="flinkit" lang={props.language} data-theme={props.theme}>
      {modal && (
        <button
          type="button"
          class="flinkit-launch"
          aria-haspopup="dialog"
          aria-expanded={props.open}
          onClick={props.onOpen}
        >
          {label}
        </button>
      )}
      {!modal
        ? body
        : props.open && (
            <dialog
              class="flinkit-dialog"
              aria-modal="true"
              aria-labelledby={props.titleId}
              onCancel={props.onCancel}
              onClose={props.onClose}
            >
              <div class="flinkit-head">
                <h2 id={props.titleId}>{label}</h2>
                <button
                  type="button"
                  class="flinkit-close"
                  aria-label={strings.close}
                  onClick={props.onClose}
                >
                  ×
                </button>
              </div>
              {body}
            </dialog>
          )}
    </div>
  );
}
