import type { DetectedType, KeptBytes, Rebuilt, RefusalReason, SanitizeOptions } from '../types.ts';

/**
 * Parent → worker: one file, as bytes or as a file the worker reads (a file crosses no pipe);
 * with `outputPath`, the rebuilt file is written there rather than sent back.
 */
export interface JobMessage {
  readonly id: number;
  readonly input: Uint8Array | { readonly path: string };
  readonly outputPath?: string;
  /** The file written at `outputPath` may leave out bytes it shares with the input file (`WrittenOutput`). */
  readonly leaveOutInput?: boolean;
  readonly options: SanitizeOptions;
}

/** A rebuilt file the worker wrote where its job said: not yet durable (the parent commits it). */
export interface WrittenOutput {
  /** The rebuilt file's length and hash, whole. */
  readonly bytes: number;
  readonly sha256: string;
  /**
   * Bytes of the rebuilt file that are the input file's, unchanged (a JPEG's kept scan): the
   * file written leaves them out, and whoever reads it puts them back from the input file.
   */
  readonly keptFromInput?: KeptBytes;
}

/** Worker → parent: the file's outcome; a rebuilt file as bytes, or as written. */
export type ResultMessage =
  | {
      readonly id: number;
      readonly kind: 'rebuilt';
      readonly type: DetectedType;
      readonly rebuilt: Omit<Rebuilt, 'output' | 'keptFromInput'>;
      readonly output: Uint8Array | WrittenOutput;
    }
  | {
      readonly id: number;
      readonly kind: 'refused';
      readonly type: DetectedType | undefined;
      readonly reason: RefusalReason;
      readonly message: string;
    }
  | { readonly id: number; readonly kind: 'failed'; readonly message: string };

/** Worker → parent, once: loaded and waiting for files. */
export interface ReadyMessage {
  readonly kind: 'ready';
}

/** Worker → parent, before the rebuild starts: so that a file that kills its worker still has a type. */
export interface DetectedMessage {
  readonly id: number;
  readonly kind: 'detected';
  readonly type: DetectedType;
}
