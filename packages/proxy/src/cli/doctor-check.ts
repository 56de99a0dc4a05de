/** One line of `flinkit doctor`: what was checked, how it went, and what to do. */
export interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
}

const MARK = { ok: '✓', warn: '!', fail: '✗' } as const;

/** `✓ secret key       GenerateAuthorizeToken gave a token`. Never holds a secret. */
export function formatCheck(check: Check): string {
  return `${MARK[check.status]} ${check.name.padEnd(16)} ${check.detail}`;
}

/** A passed check. */
export const ok = (name: string, detail: string): Check => ({ name, status: 'ok', detail });
/** A check that works but should be fixed. */
export const warn = (name: string, detail: string): Check => ({ name, status: 'warn', detail });
/** A failed check (exit code 1). */
export const fail = (name: string, detail: string): Check => ({ name, status: 'fail', detail });
