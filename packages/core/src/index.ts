export type {
  AccountsLoadedEvent,
  ConnectErrorEvent,
  ConnectEvent,
  ConnectEventBase,
  ConnectEventType,
  ConnectEventTypeOf,
  ConnectPlainEvent,
  InstitutionSelectorLoadedEvent,
  MfaLoadedEvent,
  RedirectEvent,
  UnknownConnectEvent,
} from './connect-message';
export { parseConnectMessage } from './connect-message';
export type { ConnectUrlOptions, RedirectResult } from './connect-url';
export { buildConnectUrl, readRedirectResult } from './connect-url';
export { createFlinksConnect } from './create-flinks-connect';
export type { FlinkitErrorInit } from './flinkit-error';
export { FlinkitError } from './flinkit-error';
export { IFRAME_SANDBOX, isLinkable } from './iframe-policy';
export type { InvalidMessageReason, ListenToConnectOptions } from './listen-to-connect';
export { listenToConnect } from './listen-to-connect';
export type { ProxyClient, ProxyClientOptions } from './proxy-client';
export { createProxyClient } from './proxy-client';
export type { FlinksConnectAction } from './reduce';
export { initialState, reduce } from './reduce';
export type {
  ConnectSessionOptions,
  EventSourceFactory,
  EventSourceLike,
  FlinksConnect,
  FlinksConnectCallbacks,
  FlinksConnectError,
  FlinksConnectOptions,
  FlinksConnectState,
  FlinksConnectStatus,
  GetToken,
  MessageSource,
  Timers,
} from './types';
export type { WatchOptions } from './watch-connection';
export type {
  AccountSummary,
  AccountsResponse,
  Connection,
  ConnectionListResponse,
  ConnectionResponse,
  ConnectionStatus,
  CreateConnectionRequest,
  CreateSessionRequest,
  CreateSessionResponse,
  ErrorBody,
  ErrorInfo,
  TicketResponse,
} from './wire';
export { isTerminalStatus, STATUS_EVENT, TERMINAL_STATUSES } from './wire';
