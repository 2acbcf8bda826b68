import type { ColumnType, Kysely } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface ResidentSignInTables {
  jpki_challenge_keys: { id: number; key: Uint8Array };
  jpki_used_challenges: { nonce: string; expires_at: Timestamp };
  resident_sessions: {
    municipality_code: string;
    token_hash: string;
    session_id: string;
    subject_id: string;
    auth_serial: string;
    csrf_token: string;
    created_at: Timestamp;
    last_seen_at: Timestamp;
    expires_at: Timestamp;
  };
}

export type ResidentSignInDb = Kysely<ResidentSignInTables>;
