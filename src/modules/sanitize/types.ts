/**
 * The sanitizer's vocabulary (無害化): what a file was found to be, what was done to it, and
 * why a file can be refused. Each per-type sanitizer (pdf/, image/, ooxml/, text/) takes the
 * bytes and the limits and returns a `Rebuilt`, or throws a `Refusal`.
 */

/** What the content says a file is (never its name). */
export type DetectedType =
  | 'pdf'
  | 'jpeg'
  | 'png'
  | 'heif'
  | 'tiff'
  | 'docx'
  | 'xlsx'
  | 'csv'
  | 'text'
  // Recognised only to be refused (or, for zip, allowed where a procedure says so).
  | 'zip'
  | 'svg'
  | 'executable'
  | 'script'
  | 'html'
  | 'docm'
  | 'xlsm'
  | 'ole'
  | 'gif'
  | 'webp'
  | 'unknown';

/** Why a file was refused: stable codes, in the report and on the CLI's stderr. */
export type RefusalReason =
  | 'type-not-allowed'
  | 'too-large'
  | 'too-many-pages'
  | 'too-many-pixels'
  | 'too-many-entries'
  | 'compression-ratio'
  | 'nesting-too-deep'
  | 'line-too-long'
  | 'malformed'
  | 'encrypted'
  | 'encoding-unknown'
  | 'timeout'
  | 'memory-limit'
  | 'worker-crashed';

/** A file the sanitizer will not pass inward, with a reason a clerk can read. */
export class Refusal extends Error {
  readonly reason: RefusalReason;
  constructor(reason: RefusalReason, message: string) {
    super(message);
    this.name = 'Refusal';
    this.reason = reason;
  }
}

export function isRefusal(error: unknown): error is Refusal {
  return error instanceof Error && error.name === 'Refusal' && 'reason' in error;
}

/**
 * Active or hidden content found in the original and left out of the output. `kind` is one of
 * a fixed set per format, e.g. PDF: 'javascript' | 'open-action' | 'additional-actions' |
 * 'launch' | 'uri' | 'embedded-file' | 'xfa' | 'incremental-update' | 'broken-xref';
 * images: 'exif' | 'gps' | 'xmp' | 'icc' | 'text-chunk' | 'trailing-data';
 * OOXML: 'macro' | 'external-relationship' | 'dde' | 'activex' | 'ole-object' | 'part';
 * CSV: 'formula'.
 */
export interface Removed {
  readonly kind: string;
  readonly count: number;
  /** e.g. the URI, the part name: never personal data from the file's body. */
  readonly detail?: string;
}

/** A per-type sanitizer's result. */
export interface Rebuilt {
  readonly output: Uint8Array;
  /** The output's media type, e.g. application/pdf, image/jpeg, text/csv; charset=utf-8. */
  readonly mediaType: string;
  /** What was done, in order, e.g. "rendered 3 pages at 150 dpi and rebuilt the PDF". */
  readonly actions: string[];
  readonly removed: Removed[];
  readonly warnings: string[];
  /** Pages (PDF) or 1 (image): for limits and benchmarks. */
  readonly pages?: number;
  /** Bytes of the output that are the input's, unchanged: output[at, at + length) = input[from, from + length). */
  readonly keptFromInput?: KeptBytes;
}

export interface KeptBytes {
  readonly at: number;
  readonly from: number;
  readonly length: number;
}

/** The limits a file must keep; exceeding one refuses the file (never truncates it silently). */
export interface SanitizeLimits {
  /** Input size. */
  readonly maxBytes: number;
  readonly maxPages: number;
  /** Width × height of any one image, checked from the header before decoding. */
  readonly maxPixels: number;
  /** ZIP (OOXML) entries. */
  readonly maxEntries: number;
  /** Inflated bytes of all ZIP entries together, counted as they inflate. */
  readonly maxInflatedBytes: number;
  /** Inflated ÷ compressed, per entry. */
  readonly maxCompressionRatio: number;
  /** Containers inside containers (zip in zip, embedded packages). */
  readonly maxNesting: number;
  /** CSV and text: characters per line. */
  readonly maxLineLength: number;
  /** Wall time for one file in its worker. */
  readonly timeMs: number;
  /** Resident memory of the worker handling one file. */
  readonly memoryMb: number;
}

export const DEFAULT_LIMITS: SanitizeLimits = {
  maxBytes: 50 * 1024 * 1024,
  maxPages: 200,
  maxPixels: 50_000_000,
  maxEntries: 2_000,
  maxInflatedBytes: 200 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxNesting: 2,
  maxLineLength: 100_000,
  timeMs: 60_000,
  memoryMb: 1_024,
};

/** How a PDF is made harmless: rebuilt as page images with a text layer, or reduced to text. */
export type PdfMode = 'rebuild' | 'text';

export interface SanitizeOptions {
  readonly limits: SanitizeLimits;
  readonly pdfMode: PdfMode;
  /** Archives pass only where a procedure explicitly allows them. */
  readonly allowArchives: boolean;
}
