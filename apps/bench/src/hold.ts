import { measureScale, simulatorReport } from './scale';
import type { SimChildReport } from './sim-child';

/** Options of {@link measureHold}. */
export interface HoldOptions {
  /** GetAccountsDetail requests the simulator holds (the first ones it receives). */
  held: number;
  /** Retrievals that poll meanwhile. */
  others: number;
  /** How long the simulator holds each of them before it answers (Flinks: up to 210 s). */
  holdMs: number;
  pollIntervalMs: number;
}

/** Polls/s of the other retrievals while the held requests are all open. */
export interface HoldFigure {
  options: HoldOptions;
  /** The rate the others ask for: others ÷ interval. */
  askedPerSecond: number;
  pollsPerSecond: number;
  /** The window measured: from one interval after the last first GetAccountsDetail arrived to
   * the first held answer. */
  windowMs: number;
  window: SimChildReport;
}

/**
 * Flinks may hold GetAccountsDetail for up to 210 s before its 202
 * (apps/docs/flinks.md#easy-to-miss-behaviours). The simulator holds the POSTs of `held` retrievals
 * `holdMs` (a login with `holdDetailMs`), while `others` retrievals poll every `pollIntervalMs`:
 * their poll rate over the window in which every held request is open shows whether held requests
 * take the engine's step slots.
 */
export async function measureHold(options: HoldOptions): Promise<HoldFigure> {
  let window: SimChildReport | undefined;
  let windowMs = 0;
  await measureScale(
    {
      retrievals: options.held + options.others,
      pollIntervalMs: options.pollIntervalMs,
      processingMs: options.holdMs + 3 * options.pollIntervalMs,
      held: { count: options.held, holdMs: options.holdMs },
    },
    async (sim) => {
      sim.send({ type: 'arrivals', endpoint: 'GetAccountsDetail' });
      const { at } = await sim.next<{ type: string; at: number[] }>(
        (message) => message.type === 'arrivals',
      );
      // The log is in answer order and a held call answers last: order by arrival.
      const arrivals = [...at].sort((a, b) => a - b);
      const since = (arrivals.at(-1) ?? 0) + options.pollIntervalMs;
      const until = (arrivals[0] ?? 0) + options.holdMs;
      windowMs = until - since;
      window = await simulatorReport(sim, options.pollIntervalMs, { since, until });
    },
  );
  if (!window || windowMs <= 0) {
    throw new Error(`no window with every request held (holdMs ${options.holdMs} too short)`);
  }
  return {
    options,
    askedPerSecond: (options.others * 1000) / options.pollIntervalMs,
    pollsPerSecond: (window.polls * 1000) / windowMs,
    windowMs,
    window,
  };
}
