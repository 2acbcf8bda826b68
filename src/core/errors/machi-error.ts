import { type ErrorCode, errorCodes } from './codes.ts';

/** Extra members of a problem+json body (RFC 9457 §3.2), e.g. the invalid field. */
export type ProblemExtensions = Record<string, unknown>;

/**
 * The one error type Machi throws for anything a caller did wrong or may retry.
 * `detail` is shown to people, so it must never carry personal data.
 */
export class MachiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string;
  readonly extensions: ProblemExtensions;

  constructor(code: ErrorCode, detail?: string, extensions: ProblemExtensions = {}) {
    const entry = errorCodes[code];
    super(detail ?? entry.title);
    this.name = 'MachiError';
    this.code = code;
    this.status = entry.status;
    this.detail = detail ?? entry.title;
    this.extensions = extensions;
  }
}

export function isMachiError(value: unknown): value is MachiError {
  return value instanceof MachiError;
}
