import { type DeliveryFigure, measureDelivery } from './delivery';
import { startPostgres } from './postgres';

/**
 * Webhook → SSE latency with two proxy instances on a fresh embedded PostgreSQL: the webhook
 * reaches instance B, the SSE clients listen on instance A. Stops PostgreSQL afterwards.
 */
export async function measurePostgresDelivery(retrievals: number): Promise<DeliveryFigure> {
  const postgres = await startPostgres();
  try {
    return await measureDelivery({ retrievals, postgresUrl: postgres.url });
  } finally {
    await postgres.stop();
  }
}
