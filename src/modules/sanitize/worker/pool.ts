import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DetectedType, SanitizeOptions } from '../types.ts';
import type { DetectedMessage, JobMessage, ReadyMessage, ResultMessage } from './messages.ts';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
// The worker runs our TypeScript as `npm start` does: through tsx's loader.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/**
 * The old generation's first limit for a worker, in MB. A worker's heap is small (~15 MB), and
 * V8 then starts a full collection whenever a few megabytes of file buffers pile up beside
 * it: one every ~6 photos, each several milliseconds of marking. An eighth of the memory a
 * file may use lets the buffers of dozens of files go first (measured: none in 250 photos).
 */
function initialOldSpaceMb(memoryMb: number): number {
  return Math.max(16, Math.floor(memoryMb / 8));
}

/** How often a busy worker's memory is read: its peaks go into the crash verdict. */
const RSS_POLL_MS = 10;

export interface WorkerPoolOptions {
  /** Workers running at once (each handles one file at a time). */
  readonly size: number;
  /** Each worker's data-size limit (RLIMIT_DATA) and JavaScript heap limit, in MB. */
  readonly memoryMb: number;
}

/** A worker's outcome for one file; crashes and limits are outcomes too, never a thrown error. */
export type WorkerOutcome =
  | ResultMessage
  | {
      readonly id: number;
      readonly kind: 'killed';
      readonly reason: 'timeout' | 'memory-limit' | 'worker-crashed';
      /** What the worker had found the file to be before it died, if it got that far. */
      readonly type: DetectedType | undefined;
    };

/** How long a file waited for a worker, and how long its worker then took (what the limit bounds). */
export interface WorkerTiming {
  readonly waitedMs: number;
  readonly workedMs: number;
}

interface Job {
  readonly message: JobMessage;
  readonly resolve: (outcome: WorkerOutcome & WorkerTiming) => void;
  readonly queuedAt: number;
  /** When its worker was sent the file: a new worker's start-up is not the file's time. */
  startedAt?: number;
}

interface Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  job?: Job;
  timer?: NodeJS.Timeout;
  poll?: NodeJS.Timeout;
  /** Its memory, readable once it is ready (the process it became, not the shell it started as). */
  memory?: ReturnType<typeof memoryReader>;
  peakRssMb: number;
  peakDataMb: number;
  lastWords: string;
  detected?: DetectedType;
  killedFor?: 'timeout' | 'memory-limit';
}

/** Resident memory at its highest, in MB (Linux; 0 elsewhere): for benchmarks and fuzzing. */
function peakRssOf(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0; // not Linux, or the process has gone
  }
}

const PAGE_MB = 4096 / 1048576;
const statmLine = Buffer.alloc(256);

/**
 * A worker's /proc/PID/statm, opened once: its resident memory and the data size RLIMIT_DATA
 * counts (data and stack), in MB, each read one pread of a line of numbers. A busy worker's
 * are read a hundred times a second; opening the file (or searching `status`) each time cost
 * the zone ~0.5 ms a read on the bench's VM.
 */
function memoryReader(pid: number | undefined) {
  let fd: number | undefined;
  try {
    fd = openSync(`/proc/${pid}/statm`, 'r');
  } catch {
    // not Linux: no readings
  }
  return {
    read(): { rssMb: number; dataMb: number } {
      if (fd === undefined) return { rssMb: 0, dataMb: 0 };
      try {
        const length = readSync(fd, statmLine, 0, statmLine.length, 0);
        const fields = statmLine.toString('latin1', 0, length).split(' ');
        return { rssMb: Number(fields[1]) * PAGE_MB, dataMb: Number(fields[5]) * PAGE_MB };
      } catch {
        return { rssMb: 0, dataMb: 0 }; // the process has gone
      }
    },
    close(): void {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/**
 * Sanitizer workers: separate processes, so that a decoder's native crash, a hang or a bomb
 * ends one worker, never the zone. Each starts under `ulimit -d` (Linux counts every private
 * writable mapping, native or JavaScript, against it; V8's and WebAssembly's reserved but
 * unused address space is not counted, which is why RLIMIT_AS would not do), with the same
 * limit for V8's heap; a file gets `timeMs` of wall time before its worker is killed.
 */
export function createWorkerPool(options: WorkerPoolOptions) {
  const workers = new Set<Worker>();
  const idle: Worker[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;

  function startWorker(): Worker {
    const kb = options.memoryMb * 1024;
    const child = spawn(
      '/bin/sh',
      [
        '-c',
        `ulimit -d ${kb} && exec "$0" "$@"`,
        process.execPath,
        '--import',
        TSX,
        `--max-old-space-size=${options.memoryMb}`,
        `--initial-old-space-size=${initialOldSpaceMb(options.memoryMb)}`,
        CHILD,
      ],
      { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' },
    );
    const worker: Worker = {
      child,
      peakRssMb: 0,
      peakDataMb: 0,
      lastWords: '',
      ready: new Promise<void>((resolve, reject) => {
        child.once('message', (message: ReadyMessage) => (message.kind === 'ready' ? resolve() : reject()));
        child.once('exit', () => reject(new Error('sanitizer worker exited before it was ready')));
      }),
    };
    worker.ready.then(
      () => {
        worker.memory = memoryReader(child.pid);
      },
      () => {},
    );
    // The last words of a dying worker: V8 says "out of memory" when the data limit stops it.
    child.stderr?.on('data', (chunk: Buffer) => {
      worker.lastWords = (worker.lastWords + chunk.toString('latin1')).slice(-2048);
    });
    child.on('message', (message: ResultMessage | ReadyMessage | DetectedMessage) => {
      if (message.kind === 'ready' || !worker.job || message.id !== worker.job.message.id) return;
      if (message.kind === 'detected') worker.detected = message.type;
      else finish(worker, message);
    });
    child.on('exit', (code, signal) => {
      workers.delete(worker);
      worker.memory?.close();
      const at = idle.indexOf(worker);
      if (at !== -1) idle.splice(at, 1);
      if (worker.job) {
        const reason = crashReason(worker, code, signal);
        finish(worker, { id: worker.job.message.id, kind: 'killed', reason, type: worker.detected });
      }
    });
    workers.add(worker);
    return worker;
  }

  /**
   * Why a worker died under a file. Running out of its data limit rarely ends in a tidy
   * error: V8 aborts (heap) or faults (a failed allocation in native code). A death by
   * signal after the data size came near the limit (as last sampled) counts as the limit.
   */
  function crashReason(worker: Worker, code: number | null, signal: NodeJS.Signals | null) {
    if (worker.killedFor) return worker.killedFor;
    const died = signal !== null || code === 134 || code === 139;
    const near = worker.peakDataMb >= options.memoryMb * 0.7 || worker.peakRssMb >= options.memoryMb * 0.6;
    const saidSo = /out of memory|allocation failed|heap limit/i.test(worker.lastWords);
    return died && (near || saidSo) ? 'memory-limit' : 'worker-crashed';
  }

  function finish(worker: Worker, outcome: WorkerOutcome): void {
    const job = worker.job;
    clearTimeout(worker.timer);
    clearInterval(worker.poll);
    worker.job = undefined;
    if (job) {
      const now = performance.now();
      const startedAt = job.startedAt ?? now;
      job.resolve({ ...outcome, waitedMs: startedAt - job.queuedAt, workedMs: now - startedAt });
    }
    if (workers.has(worker) && !worker.killedFor) idle.push(worker);
    dispatch();
  }

  function dispatch(): void {
    while (queue.length > 0 && !closed) {
      let worker = idle.pop();
      if (!worker) {
        if (workers.size >= options.size) return;
        worker = startWorker();
      }
      const job = queue.shift()!;
      assign(worker, job);
    }
  }

  function assign(worker: Worker, job: Job): void {
    worker.job = job;
    worker.peakRssMb = 0;
    worker.peakDataMb = 0;
    worker.detected = undefined;
    const { timeMs } = job.message.options.limits;
    // A worker that never says it is ready is killed too; the file's own time starts when it is sent.
    worker.timer = setTimeout(() => kill(worker, 'timeout'), timeMs);
    worker.poll = setInterval(() => {
      const { rssMb, dataMb } = worker.memory?.read() ?? { rssMb: 0, dataMb: 0 };
      worker.peakRssMb = Math.max(worker.peakRssMb, rssMb);
      worker.peakDataMb = Math.max(worker.peakDataMb, dataMb);
      if (rssMb > options.memoryMb) kill(worker, 'memory-limit');
    }, RSS_POLL_MS);
    worker.ready.then(
      () => {
        if (worker.job !== job) return; // finished meanwhile (its worker killed): nothing to send
        job.startedAt = performance.now();
        clearTimeout(worker.timer);
        worker.timer = setTimeout(() => kill(worker, 'timeout'), timeMs);
        worker.child.send(job.message);
      },
      () => finish(worker, { id: job.message.id, kind: 'killed', reason: 'worker-crashed', type: undefined }),
    );
  }

  function kill(worker: Worker, reason: 'timeout' | 'memory-limit'): void {
    worker.killedFor = reason;
    worker.child.kill('SIGKILL');
  }

  return {
    /**
     * Sanitizes one file in a worker (its bytes, or a file it reads; the rebuilt file written
     * to `outputPath` if given, without what it shares with the input if `leaveOutInput`);
     * resolves with its outcome, whatever the file does.
     */
    run(
      input: JobMessage['input'],
      sanitizeOptions: SanitizeOptions,
      outputPath?: string,
      leaveOutInput = false,
    ): Promise<WorkerOutcome & WorkerTiming> {
      if (closed) return Promise.reject(new Error('the sanitizer pool is closed'));
      return new Promise((resolve) => {
        const message = {
          id: nextId++,
          input,
          options: sanitizeOptions,
          ...(outputPath !== undefined ? { outputPath } : {}),
          ...(leaveOutInput ? { leaveOutInput } : {}),
        };
        queue.push({ message, resolve, queuedAt: performance.now() });
        dispatch();
      });
    },
    /**
     * Starts workers until `size` are alive, waiting as idle ones, and resolves once they are
     * ready (or have died). A worker's start takes ~0.9 s of CPU; one started by a file makes
     * that file, and those behind it, wait for it.
     */
    async startAll(): Promise<void> {
      const started: Promise<void>[] = [];
      while (!closed && workers.size < options.size) {
        const worker = startWorker();
        idle.push(worker);
        started.push(worker.ready.catch(() => undefined));
      }
      await Promise.all(started);
    },
    /** Process ids of the workers alive now (for tests and health). */
    pids(): number[] {
      return [...workers].flatMap((worker) => (worker.child.pid ? [worker.child.pid] : []));
    },
    /** The highest resident memory any live worker has had (Linux; 0 elsewhere), in MB. */
    peakRssMb(): number {
      return Math.max(0, ...[...workers].map((worker) => peakRssOf(worker.child.pid)));
    },
    async close(): Promise<void> {
      closed = true;
      const exits = [...workers].map(
        (worker) => new Promise<void>((resolve) => worker.child.once('exit', () => resolve())),
      );
      for (const worker of workers) worker.child.kill('SIGKILL');
      for (const job of queue.splice(0)) {
        const waitedMs = performance.now() - job.queuedAt;
        job.resolve({
          id: job.message.id,
          kind: 'killed',
          reason: 'worker-crashed',
          type: undefined,
          waitedMs,
          workedMs: 0,
        });
      }
      await Promise.all(exits);
    },
  };
}

export type WorkerPool = ReturnType<typeof createWorkerPool>;
