/**
 * Placeholder: the core engineer replaces this with `parseConnectMessage` and the full
 * discriminated union of Connect events (FLINKS.md §2.3).
 */
export interface ConnectEvent {
  type: string;
  step: string;
}
