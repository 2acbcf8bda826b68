import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * Sanitized files received by the lgwan zone from the internet zone: parts wait in
 * sanitize_file_parts until the file's last message arrives; the joined, checked file is
 * kept in sanitize_received_files for the procedures that asked for it.
 */
export const receivedFileMigrations: ModuleMigrations = {
  module: 'sanitize-received',
  migrations: [
    {
      id: '001-received-files',
      sql: `
        create table sanitize_file_parts (
          municipality_code char(6) not null,
          upload_id uuid not null,
          part integer not null check (part >= 0),
          data bytea not null,
          primary key (municipality_code, upload_id, part)
        );

        create table sanitize_received_files (
          municipality_code char(6) not null,
          upload_id uuid not null,
          uploaded_by text not null,
          uploaded_at timestamptz not null,
          received_at timestamptz not null,
          media_type text not null,
          bytes integer not null,
          sha256 char(64) not null,
          content bytea not null,
          report jsonb not null,
          primary key (municipality_code, upload_id)
        );
      `,
    },
  ],
};
