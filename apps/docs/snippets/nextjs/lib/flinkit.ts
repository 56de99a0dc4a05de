// lib/flinkit.ts: one proxy per server process, mounted by the route handler below.
import { createFlinkitApp } from '@flinkit/proxy';
import { saveAccounts } from './accounts'; // your own storage
import { flinkitConfig } from './flinkit-config';
import { currentUserId } from './session'; // your own session: NextAuth, iron-session, …

export const flinkit = createFlinkitApp({
  ...flinkitConfig(),
  basePath: '/api/flinkit',
  // The customer is whoever your session says: no flinkit token ever reaches the browser.
  authenticate: async (request) => {
    const userId = await currentUserId(request);
    return userId ? { userId } : null;
  },
  // Once per completed retrieval, through a durable outbox: throw to have it retried.
  onAccountsDetail: async ({ userId, connectionId, deliveryId, payload }) => {
    await saveAccounts({ userId, connectionId, deliveryId, payload });
  },
});
