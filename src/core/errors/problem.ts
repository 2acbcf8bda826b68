import { type ErrorCode, errorCodes, problemType } from './codes.ts';
import { MachiError } from './machi-error.ts';

/** An RFC 9457 problem details object. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

export function toProblem(error: MachiError, instance?: string): Problem {
  return {
    ...error.extensions,
    type: problemType(error.code),
    title: errorCodes[error.code].title,
    status: error.status,
    detail: error.detail,
    ...(instance ? { instance } : {}),
  };
}

export function problemFor(code: ErrorCode, detail?: string, extensions?: Record<string, unknown>): Problem {
  return toProblem(new MachiError(code, detail, extensions));
}
