import type { ModuleMigrations } from '../../core/index.ts';

/**
 * The MyKey platform (internet zone). mykey_ids: the platform id a resident sets up with
 * the card (マイキーID), one per card holder and municipality, never the My Number; the
 * card's subject id links it to the resident's sign-ins.
 */
export const mykeyMigrations: ModuleMigrations = {
  module: 'mykey',
  migrations: [
    {
      id: '001-mykey-ids',
      sql: `
        create table mykey_ids (
          municipality_code char(6) not null,
          subject_id text not null,
          mykey_id text not null unique,
          created_at timestamptz not null,
          primary key (municipality_code, subject_id)
        );
      `,
    },
  ],
};
