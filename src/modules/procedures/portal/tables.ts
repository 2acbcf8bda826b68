import type { Kysely } from 'kysely';

export interface ProcedureDraftsTable {
  municipality_code: string;
  resident: string;
  procedure_id: string;
  correction_of: string;
  data: unknown;
  attachments: unknown;
  document: Uint8Array | null;
  idempotency_key: string | null;
  updated_at: Date;
  expires_at: Date;
  prefilled_at: Date | null;
}

export type DraftsDb = Kysely<{ procedure_drafts: ProcedureDraftsTable }>;
