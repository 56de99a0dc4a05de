import { SimulatorError } from './errors.js';
import type { SimulatorOptions } from './types.js';

/** Options read from `flinkit-simulator` arguments. */
export interface CliOptions {
  port: number;
  webhookUrl?: string;
  webhookSecret?: string;
  processingMs?: number;
  help: boolean;
}

/** The `--help` text. */
export const CLI_USAGE = `Usage: flinkit-simulator [--port 8700] [--webhook-url URL] [--webhook-secret SECRET] [--processing-ms 2000]

Runs the Flinks simulator (Banking Services API + Connect iframe) on 127.0.0.1 until Ctrl-C.`;

/** Parses `argv` (without node and the script); throws `SimulatorError('invalid_argument')`. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { port: 8700, help: false };
  for (let index = 0; index < argv.length; index++) {
    const [flag, inline] = (argv[index] ?? '').split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag === '--help' || flag === '-h') {
      options.help = true;
      continue;
    }
    const value = inline ?? argv[++index];
    if (value === undefined || value === '') throw invalid(`${flag} needs a value`);
    if (flag === '--port') options.port = integer(flag, value, 0, 65_535);
    else if (flag === '--processing-ms')
      options.processingMs = integer(flag, value, 0, 24 * 3_600_000);
    else if (flag === '--webhook-secret') options.webhookSecret = value;
    else if (flag === '--webhook-url') {
      if (!URL.canParse(value))
        throw invalid(`--webhook-url must be an absolute URL, got "${value}"`);
      options.webhookUrl = value;
    } else throw invalid(`unknown option ${flag}`);
  }
  return options;
}

/** The simulator options the CLI flags stand for. */
export function toSimulatorOptions(cli: CliOptions): SimulatorOptions {
  return {
    port: cli.port,
    ...(cli.processingMs === undefined ? {} : { processingMs: cli.processingMs }),
    ...(cli.webhookUrl
      ? {
          webhook: {
            url: cli.webhookUrl,
            ...(cli.webhookSecret ? { secret: cli.webhookSecret } : {}),
          },
        }
      : {}),
  };
}

function integer(flag: string, value: string, min: number, max: number): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw invalid(`${flag} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return parsed;
}

function invalid(message: string): SimulatorError {
  return new SimulatorError('invalid_argument', `${message}. Run with --help for usage.`);
}
