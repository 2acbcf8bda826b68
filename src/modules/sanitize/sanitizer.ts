import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Sanitized, SanitizeReport } from './report.ts';
import { DEFAULT_LIMITS, type SanitizeLimits, type SanitizeOptions } from './types.ts';
import { createWorkerPool, type WorkerOutcome, type WorkerTiming } from './worker/pool.ts';

export interface SanitizerOptions {
  /** Files sanitized at once; default: the machine's cores, at most 4. */
  readonly workers?: number;
  readonly limits?: Partial<SanitizeLimits>;
}

type FileOptions = Partial<Omit<SanitizeOptions, 'limits'>>;

/** A file to sanitize where it lies, with its size and hash (known to whoever wrote it). */
export interface FileOnDisk {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface Sanitizer {
  /** Sanitizes one file: the report, and the rebuilt bytes unless it was refused. */
  sanitize(input: Uint8Array, options?: FileOptions): Promise<Sanitized>;
  /**
   * Sanitizes a file where it lies: its worker reads it and writes the rebuilt file to
   * `outputPath` (not fsynced: the caller makes it durable), so that no file crosses a pipe
   * or this process's heap. The report says what was written; nothing is when refused. With
   * `leaveOutInput`, bytes the rebuilt file shares with the input (report.output.keptFromInput)
   * are left out of what is written: for a caller that keeps the input and reads them from it.
   */
  sanitizeFile(
    input: FileOnDisk,
    outputPath: string,
    options?: FileOptions & { leaveOutInput?: boolean },
  ): Promise<SanitizeReport>;
  /**
   * Starts the workers not yet running (all of them at first, or one that died under a file),
   * so that the next files do not wait for a start; resolves once they are ready. Without it,
   * a worker starts with the file that needs it.
   */
  startWorkers(): Promise<void>;
  /** The highest resident memory a running worker has had, in MB (benchmarks, fuzzing). */
  workerPeakRssMb(): number;
  close(): Promise<void>;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const KILLED_MESSAGE = {
  timeout: 'The file took longer to process than a file may.',
  'memory-limit': 'The file needs more memory than a file may use.',
  'worker-crashed': 'The file made the sanitizer fail.',
} as const;

/**
 * The sanitizer (無害化): detects each file's type from its content, rebuilds it without
 * active content in a worker process, and reports what it found. A file that breaks a
 * limit, hangs or crashes its worker is refused; an internal error is thrown.
 */
export function createSanitizer(options: SanitizerOptions = {}): Sanitizer {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const pool = createWorkerPool({
    size: options.workers ?? Math.min(4, availableParallelism()),
    memoryMb: limits.memoryMb,
  });
  const optionsOf = (fileOptions: FileOptions): SanitizeOptions => ({
    limits,
    pdfMode: fileOptions.pdfMode ?? 'rebuild',
    allowArchives: fileOptions.allowArchives ?? false,
  });
  return {
    async sanitize(input, fileOptions = {}) {
      const outcome = await pool.run(input, optionsOf(fileOptions));
      // The worker's message was cloned into this process: the bytes are ours already.
      const output =
        outcome.kind === 'rebuilt' && outcome.output instanceof Uint8Array ? outcome.output : undefined;
      const inputInfo = { bytes: input.length, sha256: sha256(input) };
      const report = reportOf(outcome, inputInfo, output && { bytes: output.length, sha256: sha256(output) });
      return output ? { report, output } : { report };
    },
    async sanitizeFile(input, outputPath, { leaveOutInput = false, ...fileOptions } = {}) {
      const outcome = await pool.run({ path: input.path }, optionsOf(fileOptions), outputPath, leaveOutInput);
      const written =
        outcome.kind === 'rebuilt' && !(outcome.output instanceof Uint8Array) ? outcome.output : undefined;
      return reportOf(outcome, { bytes: input.bytes, sha256: input.sha256 }, written);
    },
    startWorkers: () => pool.startAll(),
    workerPeakRssMb: () => Math.round(pool.peakRssMb()),
    close: () => pool.close(),
  };
}

/** The report of a worker's outcome: a rebuilt file (`output` says what was written) or a refusal. */
function reportOf(
  outcome: WorkerOutcome & WorkerTiming,
  input: { bytes: number; sha256: string },
  output?: { bytes: number; sha256: string },
): SanitizeReport {
  if (outcome.kind === 'failed') throw new Error(`sanitizer failed: ${outcome.message}`);
  const base = { input, durationMs: Math.round(outcome.workedMs), waitedMs: Math.round(outcome.waitedMs) };
  if (outcome.kind === 'rebuilt') {
    if (!output) throw new Error('sanitizer failed: the worker gave the rebuilt file no place');
    const { rebuilt } = outcome;
    return {
      ...base,
      detectedType: outcome.type,
      outcome: 'rebuilt',
      output: { ...output, mediaType: rebuilt.mediaType },
      actions: rebuilt.actions,
      removed: rebuilt.removed,
      warnings: rebuilt.warnings,
      ...(rebuilt.pages !== undefined ? { pages: rebuilt.pages } : {}),
    };
  }
  const refusal =
    outcome.kind === 'refused'
      ? { reason: outcome.reason, message: outcome.message }
      : { reason: outcome.reason, message: KILLED_MESSAGE[outcome.reason] };
  return {
    ...base,
    detectedType: outcome.type ?? 'unknown',
    outcome: 'refused',
    actions: [],
    removed: [],
    warnings: [],
    refusal,
  };
}
