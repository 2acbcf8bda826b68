import type { DetectedType, Rebuilt, RefusalReason, SanitizeOptions } from '../types.ts';

/** Parent → worker: one file. */
export interface JobMessage {
  readonly id: number;
  readonly input: Uint8Array;
  readonly options: SanitizeOptions;
}

/** Worker → parent: the file's outcome. */
export type ResultMessage =
  | { readonly id: number; readonly kind: 'rebuilt'; readonly type: DetectedType; readonly rebuilt: Rebuilt }
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
