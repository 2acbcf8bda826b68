import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * Points administration in lgwan: the earning programmes as staff wrote them (the internet
 * zone gets each version by the gateway's outbox) and the participation-code batches made, with
 * who made them — never the codes, which exist only on the printed sheet.
 */
export const pointsAdminMigrations: ModuleMigrations = {
  module: 'points-admin',
  migrations: [
    {
      id: '001-programmes-and-batches',
      sql: `
        create table points_admin_programmes (
          municipality_code char(6) not null,
          programme_id text not null,
          terms jsonb not null,
          updated_at timestamptz not null,
          updated_by text not null,
          primary key (municipality_code, programme_id)
        );

        create table points_admin_code_batches (
          municipality_code char(6) not null,
          programme_id text not null,
          batch_id text not null,
          count integer not null check (count > 0),
          valid_until timestamptz not null,
          created_at timestamptz not null,
          created_by text not null,
          primary key (municipality_code, programme_id, batch_id)
        );
      `,
    },
  ],
};
