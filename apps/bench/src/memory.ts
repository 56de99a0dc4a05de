import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Heap and RSS after a full garbage collection. */
export interface MemorySample {
  heapUsedBytes: number;
  rssBytes: number;
}

/**
 * Forces a full GC (without `--expose-gc` on the command line: the flag is set at runtime and
 * `gc` read from a fresh context), then samples memory.
 */
export function sampleMemoryAfterGc(): MemorySample {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  const usage = process.memoryUsage();
  return { heapUsedBytes: usage.heapUsed, rssBytes: usage.rss };
}
