import { describe, expect, it } from 'vitest';
import { parseCliArgs, toSimulatorOptions } from './cli-args.js';

describe('parseCliArgs', () => {
  it('defaults to port 8700 and reads every flag, in both --flag value and --flag=value forms', () => {
    expect(parseCliArgs([])).toEqual({ port: 8700, help: false });
    const cli = parseCliArgs([
      '--port=0',
      '--webhook-url',
      'http://127.0.0.1:9/hook',
      '--webhook-secret=s',
      '--processing-ms',
      '0',
    ]);
    expect(toSimulatorOptions(cli)).toEqual({
      port: 0,
      processingMs: 0,
      webhook: { url: 'http://127.0.0.1:9/hook', secret: 's' },
    });
  });

  it('rejects unknown flags, bad numbers and relative URLs with invalid_argument', () => {
    for (const argv of [
      ['--nope', '1'],
      ['--port', 'x'],
      ['--port', '70000'],
      ['--webhook-url', '/hook'],
      ['--port'],
    ]) {
      expect(() => parseCliArgs(argv)).toThrow(
        expect.objectContaining({ code: 'invalid_argument' }),
      );
    }
  });
});
