import type { ReactElement, ReactNode } from 'react';
import {
  type UseFlinksConnectOptions,
  type UseFlinksConnectResult,
  useFlinksConnect,
} from './use-flinks-connect';

/** Props of {@link FlinksConnect}: the hook's options plus presentation. */
export interface FlinksConnectProps extends UseFlinksConnectOptions {
  /** Class of the `<iframe>` (size it with CSS; flinkit sets no inline style). */
  className?: string | undefined;
  /** Custom status UI rendered below the iframe, e.g. progress while the proxy retrieves. */
  children?: ((flinks: UseFlinksConnectResult) => ReactNode) | undefined;
}

/**
 * Renders the Flinks Connect iframe while it drives the flow (`flinks.iframeVisible`: from the
 * session to the link, the widget's rule too), and `children(flinks)` below it. Takes every
 * option of {@link useFlinksConnect}.
 *
 * @example
 * <FlinksConnect proxyUrl="/flinkit" getToken={getToken} onComplete={save} className="bank">
 *   {({ status, connection }) => <p>{status} {connection?.attempt}</p>}
 * </FlinksConnect>
 */
export function FlinksConnect({
  className,
  children,
  ...options
}: FlinksConnectProps): ReactElement {
  const flinks = useFlinksConnect(options);
  return (
    <>
      {flinks.iframeVisible ? <iframe {...flinks.iframeProps} className={className} /> : null}
      {children?.(flinks)}
    </>
  );
}
