import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { parseArgs } from 'node:util';
import { createKeyring } from '../base/crypto';
import { ConfigError, FlinkitProxyError } from '../base/errors';
import { createFlinksClient } from '../flinks/client';
import { FlinksApiError } from '../flinks/errors';
import { type Check, fail, formatCheck, ok, warn } from './doctor-check';
import {
  type FlinksEnv,
  loadEnvConfig,
  readDatabaseUrl,
  readEncryptionKeys,
  readFlinksEnv,
} from './env-config';

type Env = Record<string, string | undefined>;

/** The text of a configuration problem: ConfigError messages name the variable, never its value. */
const configProblem = (error: unknown) =>
  ConfigError.isInstance(error) ? error.message : 'could not be read';

/**
 * Every check `flinkit doctor` can make without a customer, in order: the configuration as
 * `serve` reads it, the instance's DNS, the secret key (GenerateAuthorizeToken), the API key (a
 * GetAccountsDetailAsync of a random RequestId, with and without the key), the webhook secret,
 * the encryption keys, the database and `redirectUrl`. Nothing here calls Authorize or DeleteCard.
 */
export async function runChecks(env: Env): Promise<Check[]> {
  const checks: Check[] = [];
  try {
    loadEnvConfig(env);
    checks.push(ok('configuration', 'every variable `flinkit serve` reads is valid'));
  } catch (error) {
    checks.push(fail('configuration', configProblem(error)));
  }
  let flinks: FlinksEnv | null = null;
  try {
    flinks = readFlinksEnv(env);
  } catch (error) {
    checks.push(fail('Flinks settings', configProblem(error)));
  }
  if (flinks) checks.push(...(await checkFlinks(flinks)));
  checks.push(checkWebhookSecret(env), ...(await checkStorage(env)), checkRedirectUrl(env));
  return checks;
}

async function checkFlinks(flinks: FlinksEnv): Promise<Check[]> {
  const host = new URL(flinks.apiUrl).hostname;
  const where = flinks.instance ? 'FLINKS_INSTANCE' : 'FLINKS_API_URL';
  try {
    await lookup(host.replace(/^\[|\]$/g, ''));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return [
      fail(
        'instance',
        `${host} does not resolve (${typeof code === 'string' ? code : 'DNS error'}): check ${where}${flinks.instance ? ' (your instance name, e.g. toolbox or yourcompany-ca)' : ''}.`,
      ),
    ];
  }
  const checks = [ok('instance', `${host} resolves`)];
  const client = createFlinksClient({ ...flinks, maxRetries: 0, timeoutMs: 15_000 });
  try {
    await client.generateAuthorizeToken();
    checks.push(
      ok('secret key', 'GenerateAuthorizeToken gave a token (secret key and customerId)'),
    );
  } catch (error) {
    checks.push(fail('secret key', secretKeyProblem(error, host, where)));
    return checks;
  }
  checks.push(await checkApiKey(flinks));
  return checks;
}

function secretKeyProblem(error: unknown, host: string, where: string): string {
  if (!FlinksApiError.isInstance(error)) return 'GenerateAuthorizeToken failed unexpectedly.';
  if (error.httpStatus === null) {
    return `could not reach Flinks at ${host}: ${error.message} Check ${where}.`;
  }
  if (error.httpStatus === 401 || error.httpStatus === 403 || error.httpStatus === 404) {
    return `Flinks refused FLINKS_SECRET_KEY (GenerateAuthorizeToken answered ${error.httpStatus}): check the secret key and FLINKS_CUSTOMER_ID (the API's customerId can differ from the dashboard's).`;
  }
  return `GenerateAuthorizeToken answered ${error.httpStatus}${error.flinksCode ? ` ${error.flinksCode}` : ''}: try again later, or ask Flinks.`;
}

/**
 * The API key on a harmless call: GetAccountsDetailAsync of a random RequestId. A valid key
 * gets 400 (no such session), a refused one 401; the same answer without any key means the
 * instance does not check it.
 */
async function checkApiKey(flinks: FlinksEnv): Promise<Check> {
  const url = `${flinks.apiUrl.replace(/\/+$/, '')}/v3/${encodeURIComponent(flinks.customerId)}/BankingServices/GetAccountsDetailAsync/${randomUUID()}`;
  const status = async (headers: Record<string, string>) => {
    try {
      const response = await fetch(url, { headers, signal: AbortSignal.timeout(15_000) });
      await response.body?.cancel();
      return response.status;
    } catch {
      return null;
    }
  };
  const withKey = await status({ accept: 'application/json', 'x-api-key': flinks.apiKey });
  const withoutKey = await status({ accept: 'application/json' });
  const refused = (code: number | null) => code === 401 || code === 403;
  if (withKey === 400 && refused(withoutKey)) {
    return ok('API key', 'FLINKS_API_KEY accepted (a data call without it is refused)');
  }
  if (refused(withKey)) {
    return fail(
      'API key',
      `Flinks refused FLINKS_API_KEY (${withKey}) on GetAccountsDetailAsync: check the x-api-key Flinks gave you for this instance.`,
    );
  }
  if (withKey === 400 && withoutKey === 400) {
    return warn(
      'API key',
      'this instance does not check x-api-key, so FLINKS_API_KEY could not be verified.',
    );
  }
  return warn(
    'API key',
    `could not verify FLINKS_API_KEY: GetAccountsDetailAsync answered ${withKey ?? 'nothing'} with it, ${withoutKey ?? 'nothing'} without.`,
  );
}

function checkWebhookSecret(env: Env): Check {
  if (env.FLINKS_WEBHOOK_SECRET?.trim()) {
    return ok('webhook secret', 'FLINKS_WEBHOOK_SECRET is set: Flinks webhooks are verified');
  }
  if (['true', '1'].includes(env.FLINKIT_ACCEPT_UNSIGNED_WEBHOOKS?.trim() ?? '')) {
    return warn(
      'webhook secret',
      'unsigned Flinks webhooks are accepted: set FLINKS_WEBHOOK_SECRET once Flinks signs yours.',
    );
  }
  return warn(
    'webhook secret',
    'FLINKS_WEBHOOK_SECRET is not set: Flinks webhooks get 403 and retrievals finish by polling only. Set it to the secret Flinks gave you.',
  );
}

async function checkStorage(env: Env): Promise<Check[]> {
  return [checkKeys(env), await checkDatabase(env)];
}

function checkKeys(env: Env): Check {
  try {
    const keys = readEncryptionKeys(env);
    const keyring = createKeyring(keys);
    const probe = randomUUID();
    if (keyring.decrypt(keyring.encrypt(probe)) !== probe) throw new Error('round trip');
    return ok('encryption keys', `${keys.length} key(s); encrypt and decrypt work`);
  } catch (error) {
    const message = FlinkitProxyError.isInstance(error) ? error.message : 'encrypt/decrypt failed.';
    return fail('encryption keys', message);
  }
}

async function checkDatabase(env: Env): Promise<Check> {
  let databaseUrl: string | undefined;
  try {
    databaseUrl = readDatabaseUrl(env);
  } catch (error) {
    return fail('database', configProblem(error));
  }
  const kind = /^postgres(ql)?:/i.test(databaseUrl ?? '') ? 'PostgreSQL' : 'SQLite';
  try {
    const { openStore } = await import('../store/open-store');
    const store = await openStore(databaseUrl);
    try {
      if (!(await store.ping())) throw new Error('no answer');
    } finally {
      await store.close();
    }
    return ok('database', `${kind} answers; its schema is up to date`);
  } catch (error) {
    // Store errors never hold the URL (it may carry a password).
    const message = FlinkitProxyError.isInstance(error)
      ? error.message
      : `${kind} could not be opened: check FLINKIT_DATABASE_URL and that the path or server is reachable and writable.`;
    return fail('database', message);
  }
}

function checkRedirectUrl(env: Env): Check {
  const fixed = new URLSearchParams(env.FLINKIT_CONNECT_PARAMS ?? '').get('redirectUrl');
  if (env.FLINKIT_CONNECT_REDIRECT_URL?.trim() || fixed) {
    return ok('redirectUrl', 'Connect sends the customer back to a page of yours');
  }
  return warn(
    'redirectUrl',
    'not set: set FLINKIT_CONNECT_REDIRECT_URL to a page of yours (Flinks’ OAuth guide calls it required).',
  );
}

/**
 * `flinkit doctor [--toolbox]`: one line per check (what was checked, what to fix), then a
 * count; exit code 1 when a check failed, 0 with warnings only.
 */
export async function runDoctor(
  args: string[],
  io: { env: Env; stdout(line: string): void },
): Promise<number> {
  const { values } = parseArgs({ args, options: { toolbox: { type: 'boolean' } } });
  io.stdout(
    'flinkit doctor: the settings of `flinkit serve`, checked one by one (no secret is printed)',
  );
  const checks = await runChecks(io.env);
  for (const check of checks) io.stdout(formatCheck(check));
  if (values.toolbox) {
    const secretOk = checks.some((check) => check.name === 'secret key' && check.status === 'ok');
    if (secretOk) {
      io.stdout(
        'toolbox: one whole retrieval of greatday_nomfa (FlinksCapital) through the engine',
      );
      const { runToolboxRetrieval } = await import('./doctor-toolbox');
      const { instance: _instance, connectUrl: _connectUrl, ...flinks } = readFlinksEnv(io.env);
      const number = (name: string, fallback: number) => {
        const value = Number(io.env[name]);
        return Number.isInteger(value) && value > 0 ? value : fallback;
      };
      const check = await runToolboxRetrieval({
        flinks: { ...flinks, detailTimeoutMs: number('FLINKS_DETAIL_TIMEOUT_MS', 240_000) },
        pollIntervalMs: number('FLINKIT_POLL_INTERVAL_MS', 10_000),
        timeoutMs: 10 * 60_000,
        print: io.stdout,
      });
      checks.push(check);
      io.stdout(formatCheck(check));
    } else {
      const check = {
        name: 'toolbox',
        status: 'fail' as const,
        detail: 'skipped: the secret key check must pass first.',
      };
      checks.push(check);
      io.stdout(formatCheck(check));
    }
  }
  const count = (status: string) => checks.filter((check) => check.status === status).length;
  io.stdout(
    `flinkit doctor: ${count('ok')} passed, ${count('warn')} warning(s), ${count('fail')} failed.`,
  );
  return count('fail') > 0 ? 1 : 0;
}
