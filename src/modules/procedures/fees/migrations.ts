import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * The fee ledger (手数料) of filings, in the internet zone where the payment provider is reached:
 * one row per filing that owes a fee. `payment_key` is the idempotency key of the current payment
 * attempt, written *before* the provider is called, so that after a crash or a lost answer the
 * same key is used again and the provider says what it did: a filing is never charged twice.
 * A refund's key is derived from it (`<payment_key>:refund`) for the same reason.
 */
export const feeMigrations: ModuleMigrations = {
  module: 'procedures-fees',
  migrations: [
    {
      id: '001-fees',
      sql: `
        create table procedure_fees (
          municipality_code char(6) not null,
          submission_id uuid not null,
          procedure_id text not null,
          payer text not null,
          amount_yen integer not null check (amount_yen > 0),
          state text not null check (state in
            ('due', 'pending', 'paid', 'failed', 'refunding', 'refunded', 'refund-manual', 'cancelled')),
          attempt integer not null default 0 check (attempt >= 0),
          provider text,
          method text check (method in ('card', 'konbini', 'payeasy')),
          payment_key uuid,
          provider_payment_id text,
          provider_refund_id text,
          decline_code text,
          due_at timestamptz not null,
          paid_at timestamptz,
          refund_requested_at timestamptz,
          refunded_at timestamptz,
          updated_at timestamptz not null,
          primary key (municipality_code, submission_id),
          check (state in ('due', 'cancelled') or payment_key is not null),
          check (state not in ('paid', 'refunding', 'refunded', 'refund-manual') or provider_payment_id is not null),
          check (state <> 'refunded' or provider_refund_id is not null)
        );
        -- A provider's event names its payment: find the fee it belongs to.
        create unique index procedure_fees_payment
          on procedure_fees (municipality_code, provider, provider_payment_id)
          where provider_payment_id is not null;
        -- What reconciliation looks at: payments and refunds begun but not known to be finished.
        create index procedure_fees_unsettled on procedure_fees (updated_at)
          where state in ('pending', 'refunding');
        -- How far each provider's event feed has been applied.
        create table procedure_fee_event_cursors (
          provider text primary key,
          after_cursor text not null,
          updated_at timestamptz not null
        );
      `,
    },
  ],
};
