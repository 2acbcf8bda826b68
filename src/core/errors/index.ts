export { type ErrorCode, errorCodes, problemType } from './codes.ts';
export { isMachiError, MachiError, type ProblemExtensions } from './machi-error.ts';
export { type Problem, problemFor, toProblem } from './problem.ts';
