export type {
  ConnectSessionOptions,
  EventSourceFactory,
  EventSourceLike,
  FlinksConnectError,
  FlinksConnectStatus,
  GetToken,
  MessageSource,
  Timers,
} from './types';
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
