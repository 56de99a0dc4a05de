import { describe, expect, it } from 'vitest';
import { asFlinkitError, FlinkitError } from './flinkit-error';

describe('FlinkitError', () => {
  it('carries code, message, status, recoverable and flinksCode', () => {
    const cause = new Error('socket hang up');
    const error = new FlinkitError({
      code: 'flinks_error',
      message: 'Link again.',
      recoverable: false,
      status: 502,
      flinksCode: 'DISABLED_LOGIN',
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('FlinkitError');
    expect(error.message).toBe('Link again.');
    expect([error.code, error.status, error.recoverable, error.flinksCode]).toEqual([
      'flinks_error',
      502,
      false,
      'DISABLED_LOGIN',
    ]);
    expect(error.cause).toBe(cause);
  });

  it('turns into the plain error shape of the store', () => {
    const error = new FlinkitError({
      code: 'not_found',
      message: 'No such connection.',
      recoverable: false,
      status: 404,
    });
    expect(error.toJSON()).toEqual({
      code: 'not_found',
      message: 'No such connection.',
      recoverable: false,
      status: 404,
    });
    expect(FlinkitError.isInstance(error.toJSON())).toBe(false);
  });

  it('recognises errors of another copy of the package', async () => {
    // `?copy` makes Vite load the module a second time: a distinct class, as with a duplicate install.
    // @ts-expect-error: TypeScript does not know query suffixes; Vite resolves them.
    const copy = (await import('./flinkit-error?copy')) as typeof import('./flinkit-error');
    expect(copy.FlinkitError).not.toBe(FlinkitError);
    const foreign = new copy.FlinkitError({ code: 'x', message: 'm', recoverable: true });
    expect(foreign instanceof FlinkitError).toBe(false);
    expect(FlinkitError.isInstance(foreign)).toBe(true);
  });

  it('refuses other values', () => {
    for (const value of [
      null,
      undefined,
      'error',
      1,
      new Error('x'),
      { code: 'x', message: 'm', recoverable: true },
    ]) {
      expect(FlinkitError.isInstance(value)).toBe(false);
    }
  });

  it('wraps anything else as unexpected_error', () => {
    const error = asFlinkitError(new TypeError('boom'));
    expect(error).toMatchObject({ code: 'unexpected_error', recoverable: true });
    expect(error.message).toContain('boom');
    expect(asFlinkitError(Symbol('s')).code).toBe('unexpected_error');
  });
});
