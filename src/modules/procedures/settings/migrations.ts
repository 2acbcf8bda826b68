import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * Which procedures each municipality accepts online, and its own note on each (e.g. where
 * to ask, what it adds to the national form). Kept by the back office (lgwan), where staff
 * set it, and copied to the portal (internet) by procedures.settings messages; `version`
 * orders copies that arrive out of order. No row: accepted, without a note.
 */
export const settingsMigrations: ModuleMigrations = {
  module: 'procedures-settings',
  migrations: [
    {
      id: '001-settings',
      sql: `
        create table procedure_settings (
          municipality_code char(6) not null,
          procedure_id text not null,
          enabled boolean not null,
          note_ja text,
          note_en text,
          version integer not null check (version >= 1),
          updated_at timestamptz not null,
          primary key (municipality_code, procedure_id)
        );
      `,
    },
  ],
};
