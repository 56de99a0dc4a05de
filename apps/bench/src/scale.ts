import { randomBytes } from 'node:crypto';
import type { FaultRule } from '@flinkit/simulator';
import { type BenchChild, startBuiltChild } from './child';
import type { ScaleChildInput, ScaleChildReport, ScaleChildStarted } from './scale-child';
import type { SimChildInput, SimChildReady, SimChildReport } from './sim-child';

/** Options of {@link measureScale}. */
export interface ScaleOptions {
  retrievals: number;
  pollIntervalMs: number;
  /** How long the simulator keeps each RequestId pending; several intervals. */
  processingMs: number;
  /** The creations are spread over this long (customers arriving); default 0, all at once. */
  rampMs?: number;
  /** Engine processes; more than one needs `databaseUrl` (PostgreSQL). Default 1. */
  processes?: number;
  databaseUrl?: string;
  maxConcurrentSteps?: number;
  faults?: FaultRule[];
  /** The first `count` retrievals' GetAccountsDetail POSTs are held `holdMs` by the simulator. */
  held?: { count: number; holdMs: number };
}

/**
 * The steady state: from one interval after the last retrieval started (all N in flight) to
 * the first completion.
 */
export interface SteadyWindow {
  windowMs: number;
  upstream: SimChildReport;
  pollsPerSecond: number;
  /** CPU time of the engine processes in the window, per poll. */
  engineCpuPerPollUs: number;
}

/** The in-flight figures: each engine process's memory and CPU, and the upstream's view. */
export interface ScaleFigure {
  options: ScaleOptions;
  engines: ScaleChildReport[];
  /** The whole run, ramp and completions included. */
  upstream: SimChildReport;
  /** Null when the run had no moment with every retrieval in flight. */
  steady: SteadyWindow | null;
  /** GetAccountsDetailAsync calls per second, over the span from the first to the last. */
  pollsPerSecond: number;
  /** CPU time ÷ wall time of the engine processes (summed) and of the simulator. */
  engineCpuShare: number;
  simulatorCpuShare: number;
}

/** The simulator in its own process; resolves once it listens. */
export async function startSimulatorChild(
  processingMs: number,
  more: Pick<SimChildInput, 'faults' | 'webhook' | 'heldLoginMs'> = {},
): Promise<{ child: BenchChild; ready: SimChildReady }> {
  const child = await startBuiltChild('sim-child.ts');
  const input: SimChildInput = { processingMs, logins: ['greatday_nomfa'], ...more };
  child.send(input);
  const ready = await child.next<SimChildReady>((message) => message.type === 'ready');
  return { child, ready };
}

/** Asks the simulator child for its report of the calls in [since, until). */
export function simulatorReport(
  sim: BenchChild,
  intervalMs: number,
  window: { since?: number; until?: number } = {},
): Promise<SimChildReport> {
  sim.send({ type: 'report', intervalMs, ...window });
  return sim.next<SimChildReport>((message) => message.type === 'report');
}

/**
 * N retrievals in flight in `processes` engine processes (built, no tsx: their RSS is the
 * proxy's own) against the simulator in a process of its own. Missed/doubled polls and lateness
 * come from the simulator's request log. `inspect` gets the simulator child once every
 * retrieval is done, before it ends (for more figures from its log).
 */
export async function measureScale(
  options: ScaleOptions,
  inspect?: (sim: BenchChild) => Promise<void>,
): Promise<ScaleFigure> {
  const { child: sim, ready } = await startSimulatorChild(options.processingMs, {
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.held ? { heldLoginMs: options.held.holdMs } : {}),
  });
  const engines: BenchChild[] = [];
  try {
    const keyBase64 = randomBytes(32).toString('base64');
    const count = options.processes ?? 1;
    const input = (create: boolean): ScaleChildInput => ({
      flinks: ready.target,
      loginId: ready.loginIds[0] as string,
      retrievals: options.retrievals,
      pollIntervalMs: options.pollIntervalMs,
      create,
      rampMs: options.rampMs ?? 0,
      ...(options.held
        ? { held: { count: options.held.count, loginId: ready.loginIds[1] as string } }
        : {}),
      keyBase64,
      ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
      ...(options.maxConcurrentSteps ? { maxConcurrentSteps: options.maxConcurrentSteps } : {}),
    });
    // The others run before the first one creates the retrievals, so all share the work.
    for (let index = 1; index < count; index++) {
      const child = await startBuiltChild('scale-child.ts');
      engines.push(child);
      child.send(input(false));
      await child.next<ScaleChildStarted>((message) => message.type === 'started');
    }
    const creator = await startBuiltChild('scale-child.ts');
    engines.unshift(creator);
    creator.send(input(true));
    const reports = await Promise.all(
      engines.map((child) => child.next<ScaleChildReport>((message) => message.type === 'done')),
    );
    const engineCpuShare = reports.reduce(
      (sum, report) => sum + report.cpuMs / report.durationMs,
      0,
    );
    await inspect?.(sim);
    const upstream = await simulatorReport(sim, options.pollIntervalMs);
    let steady: SteadyWindow | null = null;
    if (upstream.lastStartAt !== null && upstream.firstReadyAt !== null) {
      const since = upstream.lastStartAt + options.pollIntervalMs;
      const until = upstream.firstReadyAt;
      // Lateness needs two calls of a RequestId inside the window.
      if (until - since >= 2 * options.pollIntervalMs) {
        const window = await simulatorReport(sim, options.pollIntervalMs, { since, until });
        const cpuMs = reports.reduce(
          (sum, report) => sum + cpuAt(report, until) - cpuAt(report, since),
          0,
        );
        steady = {
          windowMs: until - since,
          upstream: window,
          pollsPerSecond: (window.polls * 1000) / (until - since),
          engineCpuPerPollUs: window.polls === 0 ? Number.NaN : (cpuMs * 1000) / window.polls,
        };
      }
    }
    return {
      options,
      engines: reports,
      upstream,
      steady,
      pollsPerSecond: upstream.pollSpanMs > 0 ? (upstream.polls * 1000) / upstream.pollSpanMs : 0,
      engineCpuShare,
      simulatorCpuShare: upstream.cpuMs / upstream.wallMs,
    };
  } finally {
    await Promise.all(engines.map((child) => child.end(10_000)));
    sim.process.kill('SIGTERM');
    await sim.end(5_000);
  }
}

/** An engine's CPU ms at `at`, interpolated between its one-second samples. */
function cpuAt(report: ScaleChildReport, at: number): number {
  const samples = report.cpuSamples;
  const after = samples.findIndex(([time]) => time >= at);
  if (after <= 0) return after === 0 ? (samples[0]?.[1] ?? 0) : (samples.at(-1)?.[1] ?? 0);
  const [t0, c0] = samples[after - 1] as [number, number];
  const [t1, c1] = samples[after] as [number, number];
  return c0 + ((c1 - c0) * (at - t0)) / (t1 - t0);
}
