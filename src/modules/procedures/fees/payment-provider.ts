import type { LgCode } from '../../../core/index.ts';

/**
 * A payment gateway (決済代行), as Japanese ones work (GMO-PG, SB Payment, Veritrans, PAY.JP):
 * card in two steps — authorise (仮売上) then capture (実売上) — and コンビニ and Pay-easy, where
 * the provider hands out numbers the resident pays with at a store, an ATM or in net banking,
 * and reports later that the money came in. Amounts are integer yen; JPY only.
 *
 * Each municipality is its own merchant (`merchant`: its 地方公共団体コード; the adapter maps it
 * to the provider's shop id), because it is the municipality that collects the fee through a
 * 指定納付受託者 (地方自治法, as amended in 2021).
 *
 * Errors (thrown, as MachiError):
 * - `payment-unavailable`: transient (network, timeout, 5xx). The request may or may not have
 *   been acted on: ask again with the same idempotency key, which is always safe.
 * - `conflict`: the key was used for a different request (another amount, payment or method),
 *   or the payment's state forbids it (capture of a declined payment, refund of what was not
 *   captured, a second refund).
 * - `validation-failed`: the request is malformed (amount not a positive integer, not JPY).
 * - `not-found`: no such payment at this merchant.
 * A decline is not an error: the payment exists, with status `declined`, under its key.
 */
export interface PaymentProvider {
  /** Stored with each fee: which provider holds its payment (e.g. `test`, `gmo-pg`). */
  readonly id: string;
  /**
   * Methods whose payments the provider can pay back itself. Card only, in practice: money paid
   * at a コンビニ or by Pay-easy cannot go back the way it came; the municipality refunds it by
   * bank transfer (還付).
   */
  readonly refundableMethods: readonly PaymentMethodKind[];
  /** Authorises a card, or issues コンビニ / Pay-easy numbers. Same key + same request: same payment. */
  createPayment(request: CreatePaymentRequest): Promise<ProviderPayment>;
  getPayment(merchant: LgCode, paymentId: string): Promise<ProviderPayment>;
  /** The payment made under a key, if any: how to learn whether a call whose answer was lost acted. */
  findPayment(merchant: LgCode, idempotencyKey: string): Promise<ProviderPayment | undefined>;
  /** Captures an authorised card payment in full (実売上). Same key again: the same result. */
  capturePayment(request: CapturePaymentRequest): Promise<ProviderPayment>;
  /** Refunds a captured payment in full, once. Same key again: the same refund. */
  refundPayment(request: RefundPaymentRequest): Promise<ProviderRefund>;
  /**
   * What happened on the provider's side, oldest first, after `after` (a cursor from an earlier
   * event; null from the start): above all コンビニ / Pay-easy payments made at the store and
   * numbers that expired. A provider that notifies by webhook (結果通知) keeps what it was sent
   * and hands it out here. Delivered at least once: applying an event twice must be harmless.
   */
  listEvents(after: string | null, limit: number): Promise<ProviderEvent[]>;
}

export type PaymentMethodKind = 'card' | 'konbini' | 'payeasy';

/**
 * How the resident pays. A card travels only as the provider's token, made in the resident's
 * browser by the provider's script: the card number never reaches Machi (カード情報の非保持化,
 * 割賦販売法 and its security guidelines). Tokens are often one-time: a retry may bring a new one.
 */
export type PaymentMethod =
  | { readonly kind: 'card'; readonly token: string }
  | { readonly kind: 'konbini' }
  | { readonly kind: 'payeasy' };

export interface CreatePaymentRequest {
  readonly merchant: LgCode;
  readonly idempotencyKey: string;
  /** The merchant's reference, shown in the provider's console: the filing it pays for. */
  readonly orderId: string;
  readonly amountYen: number;
  readonly currency: 'JPY';
  readonly method: PaymentMethod;
}

export interface CapturePaymentRequest {
  readonly merchant: LgCode;
  readonly paymentId: string;
  readonly idempotencyKey: string;
  /** The whole authorised amount: fees are captured in full or not at all. */
  readonly amountYen: number;
}

export interface RefundPaymentRequest {
  readonly merchant: LgCode;
  readonly paymentId: string;
  readonly idempotencyKey: string;
  /** The whole captured amount: a fee is refunded in full or not at all. */
  readonly amountYen: number;
}

/**
 * - `authorized`: card authorised (仮売上), not yet captured.
 * - `awaiting-customer`: コンビニ / Pay-easy numbers issued; the resident has not paid yet.
 * - `succeeded`: the money is taken (card captured, or paid at the store).
 * - `declined`: refused (card issuer, fraud check); `declineCode` says why.
 * - `expired`: the numbers were not paid before `expiresAt`.
 * - `refunded`: captured and paid back in full.
 */
export type ProviderPaymentStatus =
  | 'authorized'
  | 'awaiting-customer'
  | 'succeeded'
  | 'declined'
  | 'expired'
  | 'refunded';

/** What the resident needs to pay at a コンビニ or by Pay-easy, and until when. */
export type PaymentInstructions =
  | {
      readonly kind: 'konbini';
      /** 受付番号 / 払込票番号, entered at the store's terminal or shown at the till. */
      readonly receiptNumber: string;
      /** 確認番号. */
      readonly confirmationNumber: string;
      readonly expiresAt: Date;
    }
  | {
      readonly kind: 'payeasy';
      /** 収納機関番号: the collector, entered at the ATM or in net banking. */
      readonly collectorNumber: string;
      /** お客様番号. */
      readonly customerNumber: string;
      /** 確認番号. */
      readonly confirmationNumber: string;
      readonly expiresAt: Date;
    };

export interface ProviderPayment {
  readonly id: string;
  readonly merchant: string;
  readonly idempotencyKey: string;
  readonly orderId: string;
  readonly method: PaymentMethodKind;
  readonly amountYen: number;
  readonly capturedYen: number;
  readonly refundedYen: number;
  readonly status: ProviderPaymentStatus;
  /** Why a payment was declined (e.g. `insufficient_funds`), or `expired`; null otherwise. */
  readonly declineCode: string | null;
  readonly instructions: PaymentInstructions | null;
  readonly createdAt: Date;
}

export interface ProviderRefund {
  readonly id: string;
  readonly paymentId: string;
  readonly idempotencyKey: string;
  readonly amountYen: number;
  readonly createdAt: Date;
}

export type ProviderEventType =
  | 'payment.authorized'
  | 'payment.awaiting-customer'
  | 'payment.succeeded'
  | 'payment.declined'
  | 'payment.expired'
  | 'refund.succeeded';

export interface ProviderEvent {
  readonly id: string;
  /** Pass to `listEvents` to read what came after this event. */
  readonly cursor: string;
  readonly type: ProviderEventType;
  readonly merchant: string;
  readonly paymentId: string;
  readonly refundId: string | null;
  readonly at: Date;
}
