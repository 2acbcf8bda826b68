import type { Generated, Kysely } from 'kysely';

export interface ProcedureSubmissionsTable {
  municipality_code: string;
  submission_id: string;
  receipt_number: string;
  procedure_id: string;
  submitted_by: string;
  idempotency_key: string;
  document: Uint8Array;
  document_sha256: string;
  signature: Uint8Array | null;
  signature_sha256: string | null;
  signer_serial: string | null;
  submitted_at: Date;
  forward_error: string | null;
  status: string | null;
  version: Generated<number>;
  update_sequence: Generated<number>;
  status_message: string | null;
  correction_fields: Generated<unknown>;
  updated_at: Date | null;
  withdrawal_requested_at: Date | null;
  withdrawal_sent_at: Date | null;
}

/** A filing not yet delivered inward (migration 004 says why a row of its own). */
export interface ProcedureSubmissionsUnsentTable {
  municipality_code: string;
  submission_id: string;
  submitted_at: Date;
}

export interface ProcedureSubmissionVersionsTable {
  municipality_code: string;
  submission_id: string;
  version: number;
  idempotency_key: string;
  document: Uint8Array;
  document_sha256: string;
  signature: Uint8Array | null;
  signature_sha256: string | null;
  submitted_at: Date;
  sent_at: Date | null;
  forward_error: string | null;
}

export interface ProcedureInboxTable {
  municipality_code: string;
  submission_id: string;
  sequence: number;
  resident: string;
  status: string;
  message: string | null;
  notice_id: string | null;
  notice_title: string | null;
  notice_pdf: Uint8Array | null;
  created_at: Date;
  read_at: Date | null;
}

export type SubmissionsDb = Kysely<{
  procedure_submissions: ProcedureSubmissionsTable;
  procedure_submissions_unsent: ProcedureSubmissionsUnsentTable;
  procedure_submission_versions: ProcedureSubmissionVersionsTable;
  procedure_inbox: ProcedureInboxTable;
}>;
