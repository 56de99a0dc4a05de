// A stand-in for the app's own storage, for the test of this snippet only.
import type { AccountsDetailEvent } from '@flinkit/proxy';

/** What the test reads back: the deliveries, by deliveryId (retries overwrite, never add). */
export const saved = new Map<string, Omit<AccountsDetailEvent, 'retrievalId' | 'completedAt'>>();

export async function saveAccounts(
  event: Omit<AccountsDetailEvent, 'retrievalId' | 'completedAt'>,
): Promise<void> {
  saved.set(event.deliveryId, event);
}
