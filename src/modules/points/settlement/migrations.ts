import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * Merchant settlement (精算, internet zone). points_settlement_accounts: the municipality's own
 * bank account and its 振込依頼人 code, from which merchants are paid. points_settlements: each
 * settlement run with the Zengin file and CSV report it produced, kept as made (a second ask
 * for the same run gets the same bytes).
 */
export const settlementMigrations: ModuleMigrations = {
  module: 'points-settlement',
  migrations: [
    {
      id: '001-settlements',
      sql: `
        create table points_settlement_accounts (
          municipality_code char(6) primary key,
          requester_code char(10) not null,
          requester_name text not null,
          bank_code char(4) not null,
          bank_name text not null,
          branch_code char(3) not null,
          branch_name text not null,
          account_type char(1) not null check (account_type in ('1', '2')),
          account_number char(7) not null
        );

        create table points_settlements (
          municipality_code char(6) not null,
          settlement_id text not null,
          transfer_date date not null,
          merchants integer not null,
          received bigint not null,
          fees bigint not null,
          payout bigint not null,
          skipped jsonb not null,
          zengin bytea not null,
          report text not null,
          created_at timestamptz not null,
          primary key (municipality_code, settlement_id)
        );
      `,
    },
  ],
};
