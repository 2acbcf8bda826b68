import type { ColumnType, Kysely } from 'kysely';
import type { Role } from './roles.ts';

type Timestamp = ColumnType<Date, Date, Date>;

export interface StaffAccountsTable {
  municipality_code: string;
  staff_id: string;
  user_name: string;
  display_name: string;
  password_hash: string;
  totp_secret: string;
  roles: Role[];
  failed_attempts: ColumnType<number, number | undefined, number>;
  locked_until: Timestamp | null;
  last_totp_step: number | null;
  disabled: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
}

export interface StaffSessionsTable {
  municipality_code: string;
  token_hash: string;
  session_id: string;
  staff_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface IdentityTables {
  staff_accounts: StaffAccountsTable;
  staff_sessions: StaffSessionsTable;
}

export type IdentityDb = Kysely<IdentityTables>;
