/**
 * `@flinkit/proxy/webhooks`: for the host app's own backend, with no HTTP framework and no
 * database — verify the forward webhook flinkit sends (Standard Webhooks), and sign the user
 * token that the standalone proxy accepts.
 *
 * @example
 * import { verifyForwardedWebhook } from '@flinkit/proxy/webhooks';
 * const event = verifyForwardedWebhook({ body: rawBody, headers: request.headers, secret });
 */

export {
  type AccountsDetailEvent,
  FORWARD_EVENT_TYPE,
  type ForwardedWebhook,
  signStandardWebhook,
  type VerifyForwardedWebhookOptions,
  verifyForwardedWebhook,
  WebhookVerificationError,
} from './base/forward-webhook';
export {
  DEFAULT_USER_TOKEN_TTL_SECONDS,
  type SignUserTokenOptions,
  signUserToken,
  verifyUserToken,
} from './http/auth';
