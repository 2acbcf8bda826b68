import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * Uploads received in the internet zone (三層の対策): the original stays here, quarantined
 * for the retention period (for an inquiry: "what exactly did I send?"), then its bytes are
 * dropped and its hash and report kept. Only the rebuilt file and its report go inward.
 */
export const uploadMigrations: ModuleMigrations = {
  module: 'sanitize-uploads',
  migrations: [
    {
      id: '001-uploads',
      sql: `
        create table sanitize_uploads (
          municipality_code char(6) not null,
          upload_id uuid not null,
          uploaded_by text not null,
          received_at timestamptz not null,
          retain_until timestamptz not null,
          original bytea,
          original_sha256 char(64) not null,
          outcome text not null check (outcome in ('rebuilt', 'refused')),
          report jsonb not null,
          rebuilt bytea,
          rebuilt_media_type text,
          sent_at timestamptz,
          primary key (municipality_code, upload_id),
          check ((outcome = 'rebuilt') = (rebuilt is not null))
        );
        create index sanitize_uploads_quarantined on sanitize_uploads (retain_until) where original is not null;
      `,
    },
    {
      // Rebuilt files go inward through the gateway; one that lgwan refuses is not sent again.
      id: '002-forwarding',
      sql: `
        alter table sanitize_uploads add column forward_error text;
        create index sanitize_uploads_unsent on sanitize_uploads (received_at)
          where outcome = 'rebuilt' and sent_at is null and forward_error is null;
      `,
    },
    {
      // Files are kept as they are, out of line, without PostgreSQL's compression: photos, PDFs
      // and OOXML are compressed already, and pglz tried each 1 MB JPEG in full before giving
      // up (~11 ms of the server's CPU a write, against ~2.5 ms stored as is).
      id: '003-files-uncompressed',
      sql: `
        alter table sanitize_uploads
          alter column original set storage external,
          alter column rebuilt set storage external;
      `,
    },
    {
      // Files are kept beside the database (upload-files.ts): a 1 MB bytea cost PostgreSQL ~20 ms
      // of CPU to write as TOAST rows, index entries and WAL. Rows of before keep their columns.
      id: '004-files-beside',
      sql: `
        alter table sanitize_uploads
          add column original_in_store boolean not null default false,
          add column rebuilt_in_store boolean not null default false,
          drop constraint sanitize_uploads_check,
          add constraint sanitize_uploads_rebuilt_kept
            check ((outcome = 'rebuilt') = (rebuilt is not null or rebuilt_in_store)),
          add constraint sanitize_uploads_one_place
            check (not (original_in_store and original is not null)
               and not (rebuilt_in_store and rebuilt is not null));
        create index sanitize_uploads_quarantined_files on sanitize_uploads (retain_until)
          where original_in_store;
      `,
    },
    {
      // Uploads not yet delivered inward, as rows of their own (as the filings' are). An
      // upload was marked sent by setting sent_at in its row (~2 KB with its report): the
      // unsent index's predicate names sent_at, so PostgreSQL wrote the whole row again, with
      // an entry in each of its indexes, and left the old one for vacuum, once for every
      // photo filed. Delivered now deletes a ~60-byte row. Sent is: not unsent and not refused.
      id: '005-unsent-rows',
      sql: `
        drop index sanitize_uploads_unsent;
        create table sanitize_uploads_unsent (
          municipality_code char(6) not null,
          upload_id uuid not null,
          received_at timestamptz not null,
          primary key (municipality_code, upload_id)
        );
        create index sanitize_uploads_unsent_oldest on sanitize_uploads_unsent (received_at);
        insert into sanitize_uploads_unsent (municipality_code, upload_id, received_at)
          select municipality_code, upload_id, received_at from sanitize_uploads
          where outcome = 'rebuilt' and sent_at is null and forward_error is null;
        alter table sanitize_uploads drop column sent_at;
      `,
    },
  ],
};
