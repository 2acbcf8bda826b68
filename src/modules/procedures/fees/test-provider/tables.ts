import type { Kysely } from 'kysely';
import type { PaymentMethodKind, ProviderEventType, ProviderPaymentStatus } from '../payment-provider.ts';
import type { Scenario } from './scenarios.ts';

export interface TestPaymentsTable {
  merchant: string;
  payment_id: string;
  idempotency_key: string;
  request_sha256: string;
  order_id: string;
  method: PaymentMethodKind;
  card_last4: string | null;
  scenario: Scenario;
  amount_yen: number;
  captured_yen: number;
  refunded_yen: number;
  status: ProviderPaymentStatus;
  decline_code: string | null;
  capture_key: string | null;
  instructions: string | null;
  expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface TestRefundsTable {
  merchant: string;
  refund_id: string;
  payment_id: string;
  idempotency_key: string;
  amount_yen: number;
  created_at: Date;
}

export interface TestFaultsTable {
  merchant: string;
  idempotency_key: string;
  fault: string;
}

export interface TestEventsTable {
  seq: number;
  event_id: string;
  type: ProviderEventType;
  merchant: string;
  payment_id: string;
  refund_id: string | null;
  created_at: Date;
}

export type TestProviderDb = Kysely<{
  test_payment_provider_payments: TestPaymentsTable;
  test_payment_provider_refunds: TestRefundsTable;
  test_payment_provider_faults: TestFaultsTable;
  test_payment_provider_events: Omit<TestEventsTable, 'seq'> & { seq: number | undefined };
}>;
