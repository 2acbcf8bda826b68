import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

export interface GcPauses {
  readonly count: number;
  readonly totalMs: number;
  readonly maxMs: number;
  /** Of them, full (mark-compact) collections: each marks the whole heap, mostly on helper threads. */
  readonly major: number;
  /** The JavaScript heap in use when read, MB (what a full collection marks). */
  readonly heapUsedMb: number;
}

/**
 * This process's garbage-collection pauses from now (or the last reset): a benchmark's server
 * and its load generator both report them, since a pause delays answers or sends alike.
 */
export function watchGcPauses() {
  let gc = { count: 0, totalMs: 0, maxMs: 0, major: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count++;
      const { detail } = entry as { detail?: { kind?: number } };
      if (detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.major++;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    reset(): void {
      gc = { count: 0, totalMs: 0, maxMs: 0, major: 0 };
    },
    read(): GcPauses {
      return {
        count: gc.count,
        totalMs: +gc.totalMs.toFixed(1),
        maxMs: +gc.maxMs.toFixed(1),
        major: gc.major,
        heapUsedMb: Math.round(getHeapStatistics().used_heap_size / 1048576),
      };
    },
    stop(): void {
      observer.disconnect();
    },
  };
}
