import { randomBytes } from 'node:crypto';

/** A complete, valid standalone environment (fake credentials) for config and CLI tests. */
export function validEnv(
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    FLINKS_INSTANCE: 'toolbox',
    FLINKS_CUSTOMER_ID: '43387ca6-0391-4c82-857d-70d95f087ecb',
    FLINKS_SECRET_KEY: 'secret-key-value-do-not-print',
    FLINKS_API_KEY: 'api-key-value-do-not-print',
    FLINKIT_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    FLINKIT_USER_TOKEN_SECRET: 'user-token-secret-value-0123456789abcdef',
    ...overrides,
  };
}

/** The variables `flinkit serve` cannot start without. */
export const REQUIRED_VARIABLES = [
  'FLINKS_INSTANCE',
  'FLINKS_CUSTOMER_ID',
  'FLINKS_SECRET_KEY',
  'FLINKS_API_KEY',
  'FLINKIT_ENCRYPTION_KEYS',
  'FLINKIT_USER_TOKEN_SECRET',
];
