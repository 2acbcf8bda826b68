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
    {
      // Staff set the account in lgwan (setSettlementAccountRevision): each save is the next
      // revision, so a message delivered again after a newer one cannot turn it back. 0: set here.
      id: '002-account-revision',
      sql: `
        alter table points_settlement_accounts add column revision integer not null default 0;
      `,
    },
    {
      // Each answer to a run asked from lgwan, kept in the transaction of the run and pushed to
      // lgwan once committed (parts: the message payloads, in order). Pushed from inside the
      // transaction, an answer could reach lgwan for a run that then rolled back — a bank file
      // for merchants still holding their points, paid again by the next run. sent_at: every
      // part's receipt came back; refusal: lgwan refused the answer as invalid (not pushed again).
      id: '003-settlement-answers',
      sql: `
        create table points_settlement_answers (
          municipality_code char(6) not null,
          request_id uuid not null,
          parts jsonb not null,
          created_at timestamptz not null,
          sent_at timestamptz,
          refusal text,
          primary key (municipality_code, request_id)
        );
        create index points_settlement_answers_unsent on points_settlement_answers (created_at)
          where sent_at is null;
      `,
    },
  ],
};
