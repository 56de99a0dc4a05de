import { startSimulator } from '@flinkit/simulator';
import { startChild } from './child';
import type { HeldChildInput, HeldChildReport } from './held-child';
import { flinksTargetOf } from './proxy-fixture';

/** Options of {@link measureHeld}. */
export interface HeldOptions {
  retrievals: number;
  /** How long the simulator holds each GetAccountsDetail POST (real ms) before its 200. */
  holdMs: number;
  /** The engine's step slots (`maxConcurrentSteps`); default 16, fewer than the engine's 256. */
  maxConcurrentSteps?: number;
}

/** The held figure: how long N held retrievals take on one process, and how many were held at once. */
export interface HeldFigure {
  options: Required<HeldOptions>;
  child: HeldChildReport;
  /** Most GetAccountsDetail POSTs held at the same time, from the simulator's request log. */
  maxHeldAtOnce: number;
  /** GetAccountsDetail POSTs seen upstream (one per retrieval when none is sent twice). */
  detailPosts: number;
}

/**
 * Flinks may hold GetAccountsDetail up to 210 s before it answers (help.flinks.com "Timeout
 * Lengths"). N retrievals of one engine process (a child) against the simulator in this process,
 * which holds every POST `holdMs` then answers 200: with the POSTs held outside the step limit,
 * all finish in about one hold; held inside the 16 slots they would take ⌈N / 16⌉ holds.
 */
export async function measureHeld(options: HeldOptions): Promise<HeldFigure> {
  const settings = { maxConcurrentSteps: 16, ...options };
  const sim = await startSimulator({
    holdDetailMs: settings.holdMs,
    processingMs: Math.floor(settings.holdMs / 2),
    syncWindowMs: Math.max(210_000, settings.holdMs),
  });
  const child = startChild('held-child.ts');
  try {
    const input: HeldChildInput = {
      flinks: flinksTargetOf(sim),
      loginId: sim.createLogin('greatday_nomfa'),
      retrievals: settings.retrievals,
      maxConcurrentSteps: settings.maxConcurrentSteps,
    };
    child.send(input);
    const report = await child.next<HeldChildReport>((message) => message.type === 'done');
    const posts = sim.requests().filter((entry) => entry.endpoint === 'GetAccountsDetail');
    return {
      options: settings,
      child: report,
      maxHeldAtOnce: maxOverlap(posts.map((entry) => [entry.at, entry.at + (entry.heldMs ?? 0)])),
      detailPosts: posts.length,
    };
  } finally {
    await child.end(10_000);
    await sim.close();
  }
}

/** The most intervals [start, end) that overlap at one instant. */
export function maxOverlap(intervals: Array<[number, number]>): number {
  const edges = intervals.flatMap(([start, end]) => [
    [start, 1],
    [end, -1],
  ]);
  // At equal times an end comes before a start: [a, b) and [b, c) do not overlap.
  edges.sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
  let open = 0;
  let most = 0;
  for (const [, step] of edges) {
    open += step as number;
    most = Math.max(most, open);
  }
  return most;
}
