import type { Kysely } from 'kysely';
import type { CaseStatus } from './case-status.ts';

export interface ProcedureCasesTable {
  municipality_code: string;
  submission_id: string;
  receipt_number: string;
  procedure_id: string;
  submitted_by: string;
  submitted_at: Date;
  received_at: Date;
  due_on: string | null;
  status: CaseStatus;
  /** The current version's document, signature and attachments (older ones in procedure_case_versions). */
  document: Uint8Array;
  signature: Uint8Array | null;
  attachments: unknown;
  version: number;
  assigned_to: string | null;
  updated_at: Date;
  decided_at: Date | null;
  /** How many updates the resident's side has been sent: orders them on arrival. */
  update_sequence: number;
}

export interface ProcedureCaseVersionsTable {
  municipality_code: string;
  submission_id: string;
  version: number;
  submitted_at: Date;
  received_at: Date;
  document: Uint8Array;
  signature: Uint8Array | null;
  attachments: unknown;
}

export interface ProcedureCaseEventsTable {
  municipality_code: string;
  submission_id: string;
  event_no: number;
  at: Date;
  actor: string;
  kind: CaseEventKind;
  version: number;
  message: string | null;
  details: unknown;
}

export interface ProcedureNoticesTable {
  municipality_code: string;
  notice_id: string;
  submission_id: string;
  title: string;
  pdf: Uint8Array;
  issued_at: Date;
}

export const caseEventKinds = [
  'received',
  'assigned',
  'comment',
  'review-started',
  'correction-requested',
  'corrected',
  'approved',
  'rejected',
  'withdrawn',
  'withdrawal-refused',
] as const;
export type CaseEventKind = (typeof caseEventKinds)[number];

export type CasesDb = Kysely<{
  procedure_cases: ProcedureCasesTable;
  procedure_case_versions: ProcedureCaseVersionsTable;
  procedure_case_events: ProcedureCaseEventsTable;
  procedure_notices: ProcedureNoticesTable;
}>;
