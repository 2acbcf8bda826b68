import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * Drafts of the portal's forms (internet zone): what a resident has entered so far, per
 * procedure, so they can leave and come back (for 30 days after the last save). A correction
 * (補正) of a filing has its own draft beside any new one. Once the confirmation page is
 * shown, the exact bytes to sign and the filing's idempotency key are kept with the draft,
 * so showing the page again or posting twice is the same filing.
 */
export const portalDraftMigrations: ModuleMigrations = {
  module: 'procedures-portal-drafts',
  migrations: [
    {
      id: '001-drafts',
      sql: `
        create table procedure_drafts (
          municipality_code char(6) not null,
          resident text not null,
          procedure_id text not null,
          -- The filing a correction answers; '' for a new filing.
          correction_of text not null default '',
          data jsonb not null default '{}',
          -- attachment id → { uploadId, sha256, mediaType, bytes, fileName }
          attachments jsonb not null default '{}',
          document bytea,
          idempotency_key uuid,
          updated_at timestamptz not null,
          expires_at timestamptz not null,
          primary key (municipality_code, resident, procedure_id, correction_of)
        );
        create index procedure_drafts_expiry on procedure_drafts (expires_at);
      `,
    },
    {
      // When the registry's answer (ワンスオンリー) was put into the draft's empty items: once
      // per draft, so an item the resident empties afterwards stays empty.
      id: '002-prefilled-at',
      sql: 'alter table procedure_drafts add column prefilled_at timestamptz;',
    },
  ],
};
