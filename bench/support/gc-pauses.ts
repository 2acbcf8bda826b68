import { PerformanceObserver } from 'node:perf_hooks';

export interface GcPauses {
  readonly count: number;
  readonly totalMs: number;
  readonly maxMs: number;
}

/**
 * This process's garbage-collection pauses from now (or the last reset): a benchmark's server
 * and its load generator both report them, since a pause delays answers or sends alike.
 */
export function watchGcPauses() {
  let gc = { count: 0, totalMs: 0, maxMs: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count++;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    reset(): void {
      gc = { count: 0, totalMs: 0, maxMs: 0 };
    },
    read(): GcPauses {
      return { count: gc.count, totalMs: +gc.totalMs.toFixed(1), maxMs: +gc.maxMs.toFixed(1) };
    },
    stop(): void {
      observer.disconnect();
    },
  };
}
