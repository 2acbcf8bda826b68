import type { Kysely } from 'kysely';
import type { FeeState } from './fee-state.ts';
import type { PaymentMethodKind } from './payment-provider.ts';

export interface ProcedureFeesTable {
  municipality_code: string;
  submission_id: string;
  procedure_id: string;
  payer: string;
  amount_yen: number;
  state: FeeState;
  attempt: number;
  provider: string | null;
  method: PaymentMethodKind | null;
  payment_key: string | null;
  provider_payment_id: string | null;
  provider_refund_id: string | null;
  decline_code: string | null;
  due_at: Date;
  paid_at: Date | null;
  refund_requested_at: Date | null;
  refunded_at: Date | null;
  updated_at: Date;
}

export interface FeeEventCursorsTable {
  provider: string;
  after_cursor: string;
  updated_at: Date;
}

export type FeesDb = Kysely<{
  procedure_fees: ProcedureFeesTable;
  procedure_fee_event_cursors: FeeEventCursorsTable;
}>;
