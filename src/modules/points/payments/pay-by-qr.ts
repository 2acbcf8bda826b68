import { hash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { MachiError, type TenantScope } from '../../../core/index.ts';
import { accountId } from '../ledger/accounts.ts';
import type { LedgerContext, Transfer } from '../ledger/post-transfer.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';
import type { Merchant, MerchantsDb } from '../merchants/merchants.ts';
import { merchantForPayment } from './merchant-cache.ts';
import { postPayment } from './payment-batcher.ts';
import { readMerchantCode } from './read-code.ts';

/** The most one payment may be: a cap that keeps a mistyped amount from emptying an account. */
export const MAX_PAYMENT = 500_000;
const PAYMENT_ID = /^[A-Za-z0-9-]{8,64}$/;

export interface QrPayment {
  /** The merchant's code as scanned. */
  readonly qr: string;
  /** Typed by the payer for a static code; for a dynamic code, if given, it must match. */
  readonly amount?: number;
  /** Chosen by the payer's app for this payment: a retry with it pays once. */
  readonly paymentId: string;
}

export interface PaymentReceipt {
  readonly paymentId: string;
  /** What the merchant knows the payment by (refunds, the day's list): it names no payer. */
  readonly ref: string;
  readonly merchant: Merchant;
  readonly amount: number;
  readonly reference: string | null;
  readonly paidAt: Date;
  readonly repeated: boolean;
}

const invalid = (detail: string) => new MachiError('validation-failed', detail);

/** A payment's reference for the merchant: derived from its transfer id, so a retry has the same one. */
export function paymentRefOf(transferId: string): string {
  return hash('sha256', transferId).slice(0, 16);
}

function amountOf(payment: QrPayment, fromQr: number | undefined): number {
  if (fromQr !== undefined) {
    if (payment.amount !== undefined && payment.amount !== fromQr) {
      throw invalid(`The code asks for ${fromQr} points; the amount sent differs.`);
    }
    return fromQr;
  }
  const amount = payment.amount;
  if (amount === undefined) throw invalid('Type the amount: this shop code has none.');
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > MAX_PAYMENT) {
    throw invalid(`The amount is a whole number of points from 1 to ${MAX_PAYMENT}.`);
  }
  return amount;
}

/**
 * A resident pays a merchant by scanning its code: the code read and checked (CRC, format),
 * the merchant known and active in the resident's own municipality (points are spent where
 * they were issued), the amount from the code or typed, then one transfer from the resident
 * to the merchant under an id made of the resident's MyKey ID and the app's payment id,
 * posted with the other payments of the moment in one transaction (postPayment) and answered
 * once that transaction has committed. The merchant is read from a cache of a few seconds
 * (merchant-cache.ts).
 */
export async function payByQr(
  db: MerchantsDb,
  context: LedgerContext,
  payer: { readonly scope: TenantScope; readonly myKeyId: string },
  payment: QrPayment,
): Promise<PaymentReceipt> {
  if (!PAYMENT_ID.test(payment.paymentId))
    throw invalid('paymentId is 8–64 characters of A–Z, a–z, 0–9 and -.');
  const { code, merchant } = await readMerchantCode(db, payer.scope, payment.qr, merchantForPayment);
  const amount = amountOf(payment, code.amount);
  const transferId = `pay:${payer.myKeyId}:${payment.paymentId}`;
  const ref = paymentRefOf(transferId);
  const transfer: Transfer = await postPayment(
    db as unknown as Kysely<PointsLedgerTables>,
    context,
    payer.scope,
    {
      request: {
        transferId,
        code: 'payment',
        legs: [{ debit: accountId('resident', payer.myKeyId), credit: merchant.accountId, amount }],
        details: {
          merchant: merchant.merchantId,
          ref,
          ...(code.reference ? { reference: code.reference } : {}),
        },
      },
      actor: `resident:${payer.myKeyId}`,
    },
  );
  return {
    paymentId: payment.paymentId,
    ref,
    merchant,
    amount,
    reference: code.reference ?? null,
    paidAt: transfer.createdAt,
    repeated: transfer.repeated,
  };
}
