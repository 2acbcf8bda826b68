import { MachiError } from '../../../core/index.ts';

/**
 * Where a case stands in the back office. `received`: filed, nobody has started; `in-review`:
 * a clerk has started; `correction-requested`: waiting for the resident (補正); the last
 * three are final: a decision (処分) either way, or the resident's withdrawal (取下げ).
 */
export const caseStatuses = [
  'received',
  'in-review',
  'correction-requested',
  'approved',
  'rejected',
  'withdrawn',
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export const finalStatuses: readonly CaseStatus[] = ['approved', 'rejected', 'withdrawn'];

export type CaseStep = 'start-review' | 'request-correction' | 'correct' | 'approve' | 'reject' | 'withdraw';

/** The statuses each step may start from. Anything else is a conflict, never a silent no-op. */
const from: Record<CaseStep, readonly CaseStatus[]> = {
  'start-review': ['received'],
  'request-correction': ['received', 'in-review'],
  // The resident's answer to a request for correction, and only to one.
  correct: ['correction-requested'],
  approve: ['received', 'in-review'],
  // A case waiting for a correction that never comes may be rejected (e.g. after the deadline).
  reject: ['received', 'in-review', 'correction-requested'],
  // 取下げ before a clerk has started; after that the resident asks at the counter.
  withdraw: ['received'],
};

const to: Record<CaseStep, CaseStatus> = {
  'start-review': 'in-review',
  'request-correction': 'correction-requested',
  correct: 'in-review',
  approve: 'approved',
  reject: 'rejected',
  withdraw: 'withdrawn',
};

/** The status after `step`, or a conflict naming the status the case is in. */
export function nextStatus(current: CaseStatus, step: CaseStep): CaseStatus {
  if (!from[step].includes(current)) {
    throw new MachiError('conflict', `A case that is ${current} cannot ${step.replace('-', ' ')}.`, {
      status: current,
    });
  }
  return to[step];
}

export function isOpen(status: CaseStatus): boolean {
  return !finalStatuses.includes(status);
}
