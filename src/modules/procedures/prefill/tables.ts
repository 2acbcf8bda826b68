import type { ColumnType, Kysely } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface ProcedurePrefillsTable {
  municipality_code: string;
  resident: string;
  request_id: string;
  answer: unknown;
  requested_at: Timestamp;
  answered_at: Timestamp | null;
  expires_at: Timestamp;
}

export interface PrefillTables {
  procedure_prefills: ProcedurePrefillsTable;
}

export type PrefillDb = Kysely<PrefillTables>;
