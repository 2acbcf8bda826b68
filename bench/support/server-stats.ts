// What a benchmark's server process itself saw: event-loop delay, garbage-collection pauses
// and CPU time, from the last SIGUSR2 (sent when a measured run starts), printed as one JSON
// line `{"stats": …}` on SIGUSR1 (when it ends); SIGTERM exits cleanly. Install before the
// server listens, so that no signal can come before its handler. With `profileDir`, each measured run's CPU
// profile (from SIGUSR2 to SIGUSR1) is written there as run-<n>.cpuprofile. With
// MACHI_BENCH_PROMOTED=DIR, a sampled heap profile of the objects that outlived the young
// generation over the run (promoted, to be freed only by a full collection) goes to
// DIR/promoted-<pid>.heapprofile (Chrome DevTools' Memory tab reads it).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type GcPauses, watchGcPauses } from './gc-pauses.ts';

export interface ServerStats {
  readonly eventLoopDelayMs: { p50: number; p99: number; max: number };
  readonly gc: GcPauses;
  /** CPU time the server process used (all its threads) over the measured run. */
  readonly cpuSeconds: { user: number; system: number };
  /** Each whole second of the run: its worst event-loop delay and its GC pauses' total. */
  readonly perSecond: { loopMaxMs: number; gcMs: number }[];
  /** What the server adds of its own (e.g. its database statements' times). */
  readonly extra?: Record<string, unknown>;
}

/** Figures a server keeps besides these, started afresh with the others. */
export interface ExtraStats {
  reset(): void;
  read(): Record<string, unknown>;
}

export function reportServerStats(profileDir?: string, extra?: ExtraStats): void {
  let profiled = 0;
  const session = profileDir ? new Session() : undefined;
  session?.connect();
  const profiling = session?.post('Profiler.enable');
  const promotedDir = process.env.MACHI_BENCH_PROMOTED || undefined;
  const heapSession = promotedDir ? new Session() : undefined;
  heapSession?.connect();
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const gc = watchGcPauses();
  // Each second's worst event-loop delay and its GC time: a slow second in the load
  // generator's view is then seen from the server's side too.
  const secondDelay = monitorEventLoopDelay({ resolution: 1 });
  secondDelay.enable();
  const secondGc = watchGcPauses();
  let seconds: { loopMaxMs: number; gcMs: number }[] = [];
  setInterval(() => {
    seconds.push({ loopMaxMs: +(secondDelay.max / 1e6).toFixed(1), gcMs: secondGc.read().totalMs });
    secondDelay.reset();
    secondGc.reset();
  }, 1000).unref();
  let cpu = process.cpuUsage();
  process.on('SIGUSR2', () => {
    seconds = [];
    secondDelay.reset();
    secondGc.reset();
    loopDelay.reset();
    gc.reset();
    cpu = process.cpuUsage();
    extra?.reset();
    void profiling?.then(() => session!.post('Profiler.start'));
    // Allocations sampled every 4 KB, less those a scavenge collected: what was promoted.
    void heapSession?.post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: false,
    });
  });
  const print = async () => {
    const ms = (ns: number) => +(ns / 1e6).toFixed(2);
    const used = process.cpuUsage(cpu);
    const stats: ServerStats = {
      eventLoopDelayMs: {
        p50: ms(loopDelay.percentile(50)),
        p99: ms(loopDelay.percentile(99)),
        max: ms(loopDelay.max),
      },
      gc: gc.read(),
      cpuSeconds: { user: +(used.user / 1e6).toFixed(2), system: +(used.system / 1e6).toFixed(2) },
      perSecond: seconds,
      ...(extra ? { extra: extra.read() } : {}),
    };
    if (heapSession) {
      const { profile } = await heapSession.post('HeapProfiler.stopSampling');
      writeFileSync(join(promotedDir!, `promoted-${process.pid}.heapprofile`), JSON.stringify(profile));
    }
    if (session) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(join(profileDir!, `run-${++profiled}.cpuprofile`), JSON.stringify(profile));
    }
    console.log(JSON.stringify({ stats }));
  };
  process.on('SIGUSR1', () => void print());
  process.once('SIGTERM', () => {
    process.exit(0);
  });
}
