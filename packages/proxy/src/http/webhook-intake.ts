import type { FlinkitLogger } from '../base/logger';
import type { RetrievalEngine, WebhookOutcome } from '../engine/types';
import { FLINKS_SIGNATURE_HEADERS, verifyFlinksSignature } from '../flinks/webhook-signature';
import { HttpError } from './http-error';

/** Options of {@link handleFlinksWebhook}. */
export interface WebhookIntakeOptions {
  engine: Promise<RetrievalEngine>;
  secret: string | undefined;
  /** Without a secret: true takes unsigned bodies, false refuses every webhook (403). */
  acceptUnsigned: boolean;
  logger: FlinkitLogger;
  /** Turns a processing error into a log-safe line. */
  describe: (error: unknown) => string;
  /** Tracks the processing that continues after the answer (for `close()` and tests). */
  track: (work: Promise<void>) => void;
}

/**
 * `POST /v1/webhooks/flinks`: verifies the signature on the raw body (401
 * `invalid_signature`, nothing changed), parses it (400 `invalid_json`), answers 200 at once
 * and hands the body to `engine.ingestWebhook` afterwards, so a slow engine never holds
 * Flinks. Processing errors are logged, not thrown; duplicates are acknowledged.
 */
export async function handleFlinksWebhook(
  request: Request,
  options: WebhookIntakeOptions,
): Promise<{ body: unknown }> {
  if (options.secret === undefined && !options.acceptUnsigned) {
    throw new HttpError(
      403,
      'webhooks_disabled',
      'Flinks webhooks are off: set FLINKS_WEBHOOK_SECRET (or FLINKIT_ACCEPT_UNSIGNED_WEBHOOKS=true for an instance Flinks does not sign). Retrievals still finish by polling.',
      false,
    );
  }
  const raw = new Uint8Array(await request.arrayBuffer());
  if (options.secret !== undefined) {
    const signature =
      request.headers.get(FLINKS_SIGNATURE_HEADERS[0]) ??
      request.headers.get(FLINKS_SIGNATURE_HEADERS[1]);
    if (!verifyFlinksSignature(raw, signature, options.secret)) {
      options.logger.warn(
        { event: 'webhook_rejected', signed: signature !== null },
        'webhook signature rejected',
      );
      throw new HttpError(
        401,
        'invalid_signature',
        'The webhook signature does not match its body. Check FLINKS_WEBHOOK_SECRET and send the raw body.',
        false,
      );
    }
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_json', 'The webhook body is not valid JSON.', false);
  }
  const work = (async () => {
    try {
      const engine = await options.engine;
      const outcome: WebhookOutcome = await engine.ingestWebhook(body);
      options.logger.info({ event: 'webhook_processed', outcome }, `flinks webhook ${outcome}`);
    } catch (error) {
      options.logger.error(
        { event: 'webhook_failed', error: options.describe(error) },
        'flinks webhook processing failed',
      );
    }
  })();
  options.track(work);
  return { body };
}
