import { startSimulator } from '@flinkit/simulator';
import { startChild } from './child';
import { analyzePolls, type PollRegularity } from './poll-analysis';
import { flinksTargetOf } from './proxy-fixture';
import type { ScaleChildInput, ScaleChildReport } from './scale-child';

/** Options of {@link measureScale}. */
export interface ScaleOptions {
  retrievals: number;
  pollIntervalMs: number;
  /** How long the simulator keeps each RequestId pending; several intervals. */
  processingMs: number;
  maxConcurrentSteps?: number;
}

/** The in-flight figure: the proxy process's memory, and the poll schedule seen both ways. */
export interface ScaleFigure extends PollRegularity {
  options: ScaleOptions;
  child: ScaleChildReport;
}

/**
 * N retrievals in flight in one engine process (a child: its RSS is the proxy's alone) against
 * the simulator in this process. Missed/doubled polls come from the simulator's request log;
 * drift (actual poll start − announced `nextPollAt`) from the child.
 */
export async function measureScale(options: ScaleOptions): Promise<ScaleFigure> {
  const sim = await startSimulator({ processingMs: options.processingMs });
  const child = startChild('scale-child.ts');
  try {
    const input: ScaleChildInput = {
      flinks: flinksTargetOf(sim),
      loginId: sim.createLogin('greatday_nomfa'),
      retrievals: options.retrievals,
      pollIntervalMs: options.pollIntervalMs,
      ...(options.maxConcurrentSteps ? { maxConcurrentSteps: options.maxConcurrentSteps } : {}),
    };
    child.send(input);
    const report = await child.next<ScaleChildReport>((message) => message.type === 'done');
    const calls = sim
      .requests()
      .filter(
        (entry) =>
          (entry.endpoint === 'GetAccountsDetail' || entry.endpoint === 'GetAccountsDetailAsync') &&
          entry.requestId !== null &&
          entry.fault === undefined,
      )
      .map((entry) => ({ requestId: entry.requestId as string, at: entry.at }));
    return { ...analyzePolls(calls, options.pollIntervalMs), options, child: report };
  } finally {
    await child.end(10_000);
    await sim.close();
  }
}
