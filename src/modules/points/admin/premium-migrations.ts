import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * Premium points offers as points staff define them in lgwan (the internet zone gets each save
 * through the outbox): the terms as last saved with their revision (the count of saves), and
 * every sum of public money added to an offer's budget under the funding id the internet
 * zone's ledger transfer is named by (so it is posted once however often it arrives).
 */
export const pointsAdminPremiumMigrations: ModuleMigrations = {
  module: 'points-admin-premium',
  migrations: [
    {
      id: '001-offers-and-fundings',
      sql: `
        create table points_admin_premium_offers (
          municipality_code char(6) not null,
          offer_id text not null,
          terms jsonb not null,
          revision integer not null check (revision > 0),
          updated_at timestamptz not null,
          updated_by text not null,
          primary key (municipality_code, offer_id)
        );

        create table points_admin_premium_fundings (
          municipality_code char(6) not null,
          funding_id uuid not null,
          offer_id text not null,
          points bigint not null check (points > 0),
          created_at timestamptz not null,
          created_by text not null,
          primary key (municipality_code, funding_id),
          foreign key (municipality_code, offer_id) references points_admin_premium_offers (municipality_code, offer_id)
        );
      `,
    },
  ],
};
