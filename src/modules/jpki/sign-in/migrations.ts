import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * Resident sign-in with the card (internet zone).
 *
 * - jpki_challenge_keys: the HMAC key that signs challenges, made once per deployment
 *   so every internet-zone process accepts the challenges of the others.
 * - jpki_used_challenges: nonces already answered; the primary key makes a replay fail.
 *   Rows are dropped once their challenge has expired anyway.
 * - resident_sessions: like staff sessions, only the token's SHA-256 is stored. The
 *   holder is the pseudonymous subject id; the internet zone never learns more.
 */
export const residentSignInMigrations: ModuleMigrations = {
  module: 'jpki-sign-in',
  migrations: [
    {
      id: '001-sessions',
      sql: `
        create table jpki_challenge_keys (
          id integer primary key check (id = 1),
          key bytea not null
        );

        create table jpki_used_challenges (
          nonce text primary key,
          expires_at timestamptz not null
        );
        create index jpki_used_challenges_expiry on jpki_used_challenges (expires_at);

        create table resident_sessions (
          municipality_code char(6) not null,
          token_hash char(64) not null,
          session_id uuid not null,
          subject_id uuid not null,
          auth_serial text not null,
          csrf_token text not null,
          created_at timestamptz not null,
          last_seen_at timestamptz not null,
          expires_at timestamptz not null,
          primary key (municipality_code, token_hash)
        );
        create index resident_sessions_subject on resident_sessions (municipality_code, subject_id);
      `,
    },
  ],
};
