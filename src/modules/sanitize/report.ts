import type { DetectedType, KeptBytes, RefusalReason, Removed } from './types.ts';

/** What the sanitizer says of one file: kept with the rebuilt file, shown to the clerk. */
export interface SanitizeReport {
  readonly detectedType: DetectedType;
  readonly outcome: 'rebuilt' | 'refused';
  readonly input: { readonly bytes: number; readonly sha256: string };
  /** The rebuilt file; absent when refused. */
  readonly output?: {
    readonly bytes: number;
    readonly sha256: string;
    readonly mediaType: string;
    /**
     * Bytes the rebuilt file shares with the input (a JPEG's kept scan), when it was written
     * beside the input file (`sanitizeFile`): the file written leaves them out, and a reader
     * takes them from the input file (`readRebuilt`).
     */
    readonly keptFromInput?: KeptBytes;
  };
  readonly actions: string[];
  readonly removed: Removed[];
  readonly warnings: string[];
  readonly refusal?: { readonly reason: RefusalReason; readonly message: string };
  readonly pages?: number;
  /** The time the file took in its worker: what the time limit bounds. */
  readonly durationMs: number;
  /** The time it waited for a free worker before that (absent from reports kept before it was). */
  readonly waitedMs?: number;
}

/** A sanitized file: the report, and the rebuilt bytes when there are any. */
export interface Sanitized {
  readonly report: SanitizeReport;
  readonly output?: Uint8Array;
}
