import { type HeldOptions, measureHeld } from './held';
import { type BenchRow, verdict } from './report';

/**
 * The bench row of the held figure. Budget: every retrieval ready, one GetAccountsDetail POST
 * each, within the hold plus 30 s. The baseline is what step slots alone would take (computed).
 */
export async function heldRow(options: HeldOptions): Promise<BenchRow> {
  const slots = options.maxConcurrentSteps ?? 16;
  const what = `${options.retrievals} retrievals, GetAccountsDetail held ${options.holdMs / 1000} s each, ${slots} step slots, one process`;
  const budgetMs = options.holdMs + 30_000;
  const baseline = `held in the slots: ⌈${options.retrievals} / ${slots}⌉ × ${options.holdMs / 1000} s = ${Math.ceil(options.retrievals / slots) * (options.holdMs / 1000)} s (computed)`;
  try {
    const figure = await measureHeld(options);
    const seconds = figure.child.durationMs / 1000;
    const complete = figure.child.notReady === 0 && figure.detailPosts === options.retrievals;
    return {
      what,
      measured: `all ${figure.child.ready} ready in ${seconds.toFixed(1)} s; max ${figure.maxHeldAtOnce} held at once; ${figure.detailPosts} POSTs${complete ? '' : `; ${figure.child.notReady} not ready`}`,
      budget: `all ready, 1 POST each, ≤ ${budgetMs / 1000} s`,
      result: verdict(complete && figure.child.durationMs <= budgetMs),
      baseline,
      ratio: `${((Math.ceil(options.retrievals / slots) * options.holdMs) / figure.child.durationMs).toFixed(1)}× faster`,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      what,
      measured: `not measured: ${reason}`,
      budget: '—',
      result: 'not measured',
      baseline,
      ratio: '—',
    };
  }
}
