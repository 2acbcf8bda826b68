import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * Sanitized files received by the lgwan zone from the internet zone: parts wait in
 * sanitize_file_parts until the file's last message arrives; once checked, the file is
 * recorded in sanitize_received_files for the procedures that asked for it, its bytes
 * staying in the parts (files of the zone's FileStore since 003).
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
    {
      // As the internet zone's uploads (sanitize-uploads 003): compressed files stored as they
      // are, since pglz spent ~11 ms of the server's CPU on each 1 MB JPEG before giving up.
      // And a file is kept as the parts it came in (content null), not joined and written again.
      id: '002-files-kept-as-parts',
      sql: `
        alter table sanitize_file_parts alter column data set storage external;
        alter table sanitize_received_files
          alter column content set storage external,
          alter column content drop not null;
      `,
    },
    {
      // Parts are files beside the database (the zone's FileStore), as the internet zone's
      // uploads are: PostgreSQL spent ~20 ms of CPU writing each megabyte as TOAST rows.
      id: '003-parts-beside',
      sql: `
        alter table sanitize_file_parts
          alter column data drop not null,
          add column data_in_store boolean not null default false,
          add constraint sanitize_file_parts_one_place check ((data is null) = data_in_store);
      `,
    },
  ],
};
