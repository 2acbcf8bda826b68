import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * Merchants that accept municipal points (加盟店), per municipality (internet zone). The
 * Latin name and city go into the QR code (the format allows only ASCII there), the Japanese
 * name into its alternate-language template and onto every page. The bank account is where
 * settlement pays (Zengin file); fee_basis_points is the municipality's fee (100 = 1 %).
 */
export const merchantMigrations: ModuleMigrations = {
  module: 'points-merchants',
  migrations: [
    {
      id: '001-merchants',
      sql: `
        create table points_merchants (
          municipality_code char(6) not null,
          merchant_id text not null,
          name text not null,
          name_latin text not null,
          city_latin text not null,
          category_code char(4) not null,
          postal_code char(7),
          status text not null check (status in ('active', 'suspended')),
          fee_basis_points integer not null check (fee_basis_points between 0 and 10000),
          bank_code char(4),
          branch_code char(3),
          account_type char(1) check (account_type in ('1', '2')),
          account_number char(7),
          account_holder_kana text,
          created_at timestamptz not null,
          primary key (municipality_code, merchant_id)
        );
      `,
    },
    {
      // A merchant's terminals (a till, a tablet) call the merchant API with a key of their own:
      // only its SHA-256 is kept, the secret is shown once when it is made.
      id: '002-merchant-keys',
      sql: `
        create table points_merchant_keys (
          key_id text primary key,
          municipality_code char(6) not null,
          merchant_id text not null,
          secret_sha256 char(64) not null,
          label text not null,
          created_at timestamptz not null,
          revoked_at timestamptz,
          foreign key (municipality_code, merchant_id) references points_merchants (municipality_code, merchant_id)
        );
        -- Merchants find a payment by its reference (refunds), never by who paid.
        create unique index points_payments_ref on points_transfers (municipality_code, (details ->> 'ref'))
          where code = 'payment';
      `,
    },
    {
      // Staff keep merchants in lgwan (saveMerchant): each save is the next revision, so a
      // message delivered again after a newer one cannot turn a change back. 0: made here.
      id: '003-merchant-revision',
      sql: `
        alter table points_merchants add column revision integer not null default 0;
      `,
    },
  ],
};
