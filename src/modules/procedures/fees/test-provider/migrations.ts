import type { ModuleMigrations } from '../../../../core/index.ts';

/**
 * The built-in test provider's own state, as a real gateway keeps it on its side: payments
 * by merchant and idempotency key, refunds, the faults it already injected (so "fail once"
 * fails once, across restarts) and its event feed. Not tenant tables of Machi: these stand
 * for another company's system, and only deployments that use the test provider create them.
 */
export const testPaymentProviderMigrations: ModuleMigrations = {
  module: 'procedures-test-payment-provider',
  migrations: [
    {
      id: '001-test-payment-provider',
      sql: `
        create table test_payment_provider_payments (
          merchant char(6) not null,
          payment_id text not null,
          idempotency_key text not null,
          request_sha256 char(64) not null,
          order_id text not null,
          method text not null check (method in ('card', 'konbini', 'payeasy')),
          card_last4 char(4),
          scenario text not null,
          amount_yen integer not null check (amount_yen > 0),
          captured_yen integer not null default 0,
          refunded_yen integer not null default 0,
          status text not null check (status in
            ('authorized', 'awaiting-customer', 'succeeded', 'declined', 'expired', 'refunded')),
          decline_code text,
          capture_key text,
          instructions jsonb,
          expires_at timestamptz,
          created_at timestamptz not null,
          updated_at timestamptz not null,
          primary key (merchant, payment_id),
          unique (merchant, idempotency_key),
          check (captured_yen between 0 and amount_yen),
          check (refunded_yen between 0 and captured_yen)
        );
        create table test_payment_provider_refunds (
          merchant char(6) not null,
          refund_id text not null,
          payment_id text not null,
          idempotency_key text not null,
          amount_yen integer not null check (amount_yen > 0),
          created_at timestamptz not null,
          primary key (merchant, refund_id),
          unique (merchant, idempotency_key),
          -- Full refunds only: a payment is paid back at most once, whatever keys are used.
          unique (merchant, payment_id),
          foreign key (merchant, payment_id) references test_payment_provider_payments (merchant, payment_id)
        );
        create table test_payment_provider_faults (
          merchant char(6) not null,
          idempotency_key text not null,
          fault text not null,
          primary key (merchant, idempotency_key, fault)
        );
        create table test_payment_provider_events (
          seq bigint generated always as identity primary key,
          event_id uuid not null unique,
          type text not null,
          merchant char(6) not null,
          payment_id text not null,
          refund_id text,
          created_at timestamptz not null
        );
      `,
    },
  ],
};
