import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * Merchants as points staff keep them in lgwan (the internet zone gets each save through the
 * outbox): points_admin_merchants holds the terms as last saved and their revision (the count
 * of saves, sent along so that the internet zone never goes back to an older one).
 * points_admin_merchant_keys lists the terminal keys issued: id, label, who made or revoked
 * them and when — never the token, which is shown once, nor its hash, which only the internet
 * zone needs.
 */
export const pointsAdminMerchantMigrations: ModuleMigrations = {
  module: 'points-admin-merchants',
  migrations: [
    {
      id: '001-merchants-and-keys',
      sql: `
        create table points_admin_merchants (
          municipality_code char(6) not null,
          merchant_id text not null,
          terms jsonb not null,
          revision integer not null check (revision > 0),
          updated_at timestamptz not null,
          updated_by text not null,
          primary key (municipality_code, merchant_id)
        );

        create table points_admin_merchant_keys (
          municipality_code char(6) not null,
          key_id text not null,
          merchant_id text not null,
          label text not null,
          created_at timestamptz not null,
          created_by text not null,
          revoked_at timestamptz,
          revoked_by text,
          primary key (municipality_code, key_id),
          foreign key (municipality_code, merchant_id) references points_admin_merchants (municipality_code, merchant_id)
        );
      `,
    },
  ],
};
