import type { ModuleMigrations } from '../../core/index.ts';

/**
 * Staff sign-in tables, migrated in the `lgwan` and `mynumber` zones (each zone
 * has its own accounts: a mynumber account is not an lgwan account).
 *
 * - staff_accounts: one row per staff member of a municipality. user_name is
 *   lower-case ASCII, unique per municipality. last_totp_step is the RFC 6238
 *   time step of the last accepted code, so a code works only once.
 * - staff_sessions: only the SHA-256 of the session token is stored, so a copy
 *   of the table does not let anyone sign in. The cookie carries the
 *   municipality code, so the lookup is one primary-key read on the shard.
 */
export const identityMigrations: ModuleMigrations = {
  module: 'identity',
  migrations: [
    {
      id: '001-staff',
      sql: `
        create table staff_accounts (
          municipality_code char(6) not null,
          staff_id uuid not null,
          user_name text not null,
          display_name text not null,
          password_hash text not null,
          totp_secret text not null,
          roles text[] not null,
          failed_attempts integer not null default 0,
          locked_until timestamptz,
          last_totp_step integer,
          disabled boolean not null default false,
          created_at timestamptz not null,
          primary key (municipality_code, staff_id),
          unique (municipality_code, user_name),
          check (user_name ~ '^[a-z0-9][a-z0-9._-]{1,63}$')
        );

        create table staff_sessions (
          municipality_code char(6) not null,
          token_hash char(64) not null,
          session_id uuid not null,
          staff_id uuid not null,
          csrf_token text not null,
          created_at timestamptz not null,
          last_seen_at timestamptz not null,
          expires_at timestamptz not null,
          primary key (municipality_code, token_hash)
        );
        create index staff_sessions_staff on staff_sessions (municipality_code, staff_id);
      `,
    },
  ],
};
