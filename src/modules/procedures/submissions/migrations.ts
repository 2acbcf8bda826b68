import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * Filings received on the portal (internet zone). The signed document is kept as the exact
 * bytes the card signed, with its CMS signature, so the signature can be checked again
 * anywhere; the idempotency key makes a double click one filing; a signature is accepted once
 * (a replayed filing is refused).
 */
export const submissionMigrations: ModuleMigrations = {
  module: 'procedures-submissions',
  migrations: [
    {
      id: '001-submissions',
      sql: `
        create table procedure_submissions (
          municipality_code char(6) not null,
          submission_id uuid not null,
          receipt_number text not null unique,
          procedure_id text not null,
          submitted_by text not null,
          idempotency_key uuid not null,
          document bytea not null,
          document_sha256 char(64) not null,
          signature bytea,
          signature_sha256 char(64) unique,
          signer_serial text,
          submitted_at timestamptz not null,
          sent_at timestamptz,
          forward_error text,
          -- What the back office last said (procedures.case-update), newest sequence wins.
          status text,
          version integer not null default 1,
          update_sequence integer not null default 0,
          status_message text,
          correction_fields jsonb not null default '[]',
          updated_at timestamptz,
          withdrawal_requested_at timestamptz,
          withdrawal_sent_at timestamptz,
          primary key (municipality_code, submission_id),
          unique (submitted_by, idempotency_key)
        );
        create index procedure_submissions_unsent on procedure_submissions (submitted_at)
          where sent_at is null and forward_error is null;

        -- Corrections (補正): each a whole new signed document, version 2 and up.
        create table procedure_submission_versions (
          municipality_code char(6) not null,
          submission_id uuid not null,
          version integer not null check (version >= 2),
          idempotency_key uuid not null,
          document bytea not null,
          document_sha256 char(64) not null,
          signature bytea,
          signature_sha256 char(64) unique,
          submitted_at timestamptz not null,
          sent_at timestamptz,
          forward_error text,
          primary key (municipality_code, submission_id, version),
          unique (municipality_code, submission_id, idempotency_key),
          foreign key (municipality_code, submission_id) references procedure_submissions
        );

        -- The resident's inbox (お知らせ): what the back office said, with the signed notice.
        create table procedure_inbox (
          municipality_code char(6) not null,
          submission_id uuid not null,
          sequence integer not null,
          resident text not null,
          status text not null,
          message text,
          notice_id uuid,
          notice_title text,
          notice_pdf bytea,
          created_at timestamptz not null,
          read_at timestamptz,
          primary key (municipality_code, submission_id, sequence),
          foreign key (municipality_code, submission_id) references procedure_submissions
        );
        create index procedure_inbox_resident on procedure_inbox (resident, created_at);
        create unique index procedure_inbox_notice on procedure_inbox (municipality_code, notice_id)
          where notice_id is not null;
      `,
    },
    {
      // What the forwarding round asks for every time it runs (several times a second under
      // load): corrections and withdrawals still to send. Without these each round read the
      // whole table of filings (a forwarding round per batch of 50 filings made it a third of
      // PostgreSQL's work in npm run bench submit).
      id: '002-changes-waiting',
      sql: `
        create index procedure_submissions_withdrawal_unsent on procedure_submissions (municipality_code)
          where withdrawal_requested_at is not null and withdrawal_sent_at is null;
        create index procedure_submission_versions_unsent on procedure_submission_versions (submitted_at)
          where sent_at is null and forward_error is null;
      `,
    },
    {
      // A filing's row is ~3 KB (a ~1 KB document, a ~2 KB CMS signature): past the 2 KB at
      // which PostgreSQL compresses a row's largest values and then moves them to the TOAST
      // table. A signature (keys, signatures) never compresses, so every filing paid a failed
      // compression (4 % of PostgreSQL's time in npm run bench submit) and, once a value moved,
      // an insert into the TOAST table and its index, and a lookup there at each read. Rows
      // now stay whole up to a page's worth (8 KB, more than a form's document and signature);
      // larger ones are compressed and moved as before.
      id: '003-signed-rows-whole',
      sql: `
        alter table procedure_submissions set (toast_tuple_target = 8160);
        alter table procedure_submission_versions set (toast_tuple_target = 8160);
      `,
    },
    {
      // Filings not yet delivered inward, as rows of their own. A filing was marked sent by
      // setting sent_at in its ~3 KB row: the unsent index's predicate names sent_at and the
      // page has no room for a second copy, so PostgreSQL wrote the whole row again with an
      // entry in each of its five indexes, and left the old one for vacuum: in
      // npm run bench submit, 3.4 KB of a filing's ~16 KB of WAL. Delivered now deletes a
      // ~60-byte row (~50 bytes of WAL).
      // Sent is: not unsent and not refused. A refused filing leaves these rows for its
      // forward_error; one withdrawn before it went stays, never to be sent, as before.
      // No foreign key: its check would lock each new filing's row (WAL and a dirty page
      // more a filing), and the one statement that keeps a filing writes both rows.
      id: '004-unsent-rows',
      sql: `
        drop index procedure_submissions_unsent;
        create table procedure_submissions_unsent (
          municipality_code char(6) not null,
          submission_id uuid not null,
          submitted_at timestamptz not null,
          primary key (municipality_code, submission_id)
        );
        create index procedure_submissions_unsent_oldest on procedure_submissions_unsent (submitted_at);
        insert into procedure_submissions_unsent (municipality_code, submission_id, submitted_at)
          select municipality_code, submission_id, submitted_at from procedure_submissions
          where sent_at is null and forward_error is null;
        alter table procedure_submissions drop column sent_at;
      `,
    },
  ],
};
