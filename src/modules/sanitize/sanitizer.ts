import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Sanitized, SanitizeReport } from './report.ts';
import { DEFAULT_LIMITS, type SanitizeLimits, type SanitizeOptions } from './types.ts';
import { createWorkerPool } from './worker/pool.ts';

export interface SanitizerOptions {
  /** Files sanitized at once; default: the machine's cores, at most 4. */
  readonly workers?: number;
  readonly limits?: Partial<SanitizeLimits>;
}

export interface Sanitizer {
  /** Sanitizes one file: the report, and the rebuilt bytes unless it was refused. */
  sanitize(input: Uint8Array, options?: Partial<Omit<SanitizeOptions, 'limits'>>): Promise<Sanitized>;
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
  return {
    async sanitize(input, fileOptions = {}) {
      const outcome = await pool.run(input, {
        limits,
        pdfMode: fileOptions.pdfMode ?? 'rebuild',
        allowArchives: fileOptions.allowArchives ?? false,
      });
      if (outcome.kind === 'failed') throw new Error(`sanitizer failed: ${outcome.message}`);
      const base = {
        input: { bytes: input.length, sha256: sha256(input) },
        durationMs: Math.round(outcome.workedMs),
        waitedMs: Math.round(outcome.waitedMs),
      };
      if (outcome.kind === 'rebuilt') {
        const { rebuilt } = outcome;
        // The worker's message was cloned into this process: the bytes are ours already.
        const output = rebuilt.output instanceof Uint8Array ? rebuilt.output : new Uint8Array(rebuilt.output);
        const report: SanitizeReport = {
          ...base,
          detectedType: outcome.type,
          outcome: 'rebuilt',
          output: { bytes: output.length, sha256: sha256(output), mediaType: rebuilt.mediaType },
          actions: rebuilt.actions,
          removed: rebuilt.removed,
          warnings: rebuilt.warnings,
          ...(rebuilt.pages !== undefined ? { pages: rebuilt.pages } : {}),
        };
        return { report, output };
      }
      const refusal =
        outcome.kind === 'refused'
          ? { reason: outcome.reason, message: outcome.message }
          : { reason: outcome.reason, message: KILLED_MESSAGE[outcome.reason] };
      const report: SanitizeReport = {
        ...base,
        detectedType: outcome.type ?? 'unknown',
        outcome: 'refused',
        actions: [],
        removed: [],
        warnings: [],
        refusal,
      };
      return { report };
    },
    workerPeakRssMb: () => Math.round(pool.peakRssMb()),
    close: () => pool.close(),
  };
}
