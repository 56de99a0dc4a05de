export type {
  ConnectEvent,
  Connection,
  ConnectionStatus,
  ConnectSessionOptions,
  FlinksConnectError,
  FlinksConnectState,
  FlinksConnectStatus,
  GetToken,
} from '@flinkit/core';
export { FlinksConnect, type FlinksConnectProps } from './flinks-connect';
export {
  DEFAULT_IFRAME_TITLE,
  type FlinksConnectIframeProps,
  IFRAME_SANDBOX,
  type UseFlinksConnectOptions,
  type UseFlinksConnectResult,
  useFlinksConnect,
} from './use-flinks-connect';
