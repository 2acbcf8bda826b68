import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * Merchant settlement as points staff run it from lgwan. points_admin_settlement_accounts: the
 * municipality's own account (the Zengin header), as saved here and sent to the internet zone
 * with its revision. points_admin_settlement_runs: each run asked for, and the internet zone's
 * summary once it answers; points_admin_settlement_parts: the run's merchant lines as they
 * arrive (a large run comes in parts), from which the Zengin file and the report are made here.
 */
export const pointsAdminSettlementMigrations: ModuleMigrations = {
  module: 'points-admin-settlement',
  migrations: [
    {
      id: '001-accounts-and-runs',
      sql: `
        create table points_admin_settlement_accounts (
          municipality_code char(6) primary key,
          requester_code char(10) not null,
          requester_name text not null,
          bank_code char(4) not null,
          bank_name text not null,
          branch_code char(3) not null,
          branch_name text not null,
          account_type char(1) not null check (account_type in ('1', '2')),
          account_number char(7) not null,
          revision integer not null check (revision > 0),
          updated_at timestamptz not null,
          updated_by text not null
        );

        create table points_admin_settlement_runs (
          municipality_code char(6) not null,
          request_id uuid not null,
          settlement_id text not null,
          transfer_date date not null,
          requested_at timestamptz not null,
          requested_by text not null,
          outcome text check (outcome in ('settled', 'refused')),
          refusal jsonb,
          repeated boolean,
          requester jsonb,
          merchants integer,
          received bigint,
          fees bigint,
          payout bigint,
          skipped integer,
          parts integer,
          answered_at timestamptz,
          primary key (municipality_code, request_id)
        );
        create index points_admin_settlement_runs_id
          on points_admin_settlement_runs (municipality_code, settlement_id);

        create table points_admin_settlement_parts (
          municipality_code char(6) not null,
          request_id uuid not null,
          part integer not null check (part > 0),
          lines jsonb not null,
          received_at timestamptz not null,
          primary key (municipality_code, request_id, part)
        );
      `,
    },
  ],
};
