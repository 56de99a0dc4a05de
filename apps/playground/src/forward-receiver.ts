import { verifyForwardedWebhook } from '@flinkit/proxy/webhooks';

/** What the stand-in host backend learnt from one forwarded payload. */
export interface ForwardedDelivery {
  /** The delivery id (`webhook-id`), stable across retries. */
  id: string;
  connectionId: string;
  accountCount: number;
}

/**
 * The stand-in for a host app's webhook endpoint (`FLINKIT_FORWARD_URL`): verifies the
 * proxy's Standard Webhooks signature with `verifyForwardedWebhook` and calls `onDelivery`
 * once per delivery id. Answers 401 to a bad signature, 200 otherwise (also for repeats).
 */
export function createForwardReceiver(
  secret: string,
  onDelivery: (delivery: ForwardedDelivery) => void,
): (rawBody: string, headers: Record<string, string>) => Promise<number> {
  const seen = new Set<string>();
  return async (body, headers) => {
    let event: ReturnType<typeof verifyForwardedWebhook>;
    try {
      event = verifyForwardedWebhook({ body, headers, secret });
    } catch {
      return 401;
    }
    const id = event.data.deliveryId;
    if (!seen.has(id)) {
      seen.add(id);
      const accounts = event.data.payload.Accounts;
      onDelivery({
        id,
        connectionId: event.data.connectionId,
        accountCount: Array.isArray(accounts) ? accounts.length : 0,
      });
    }
    return 200;
  };
}
