import { hash, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isUniqueViolation, MachiError, type TenantScope, toHalfWidthAscii } from '../../../core/index.ts';
import { accountId } from '../ledger/accounts.ts';
import { inTransaction, type LedgerContext, postTransfer } from '../ledger/post-transfer.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';
import { type MerchantsDb, merchantOf } from '../merchants/merchants.ts';
import { MAX_PAYMENT, paymentRefOf } from './pay-by-qr.ts';

interface PaymentCodesTable {
  municipality_code: string;
  code_sha256: string;
  my_key_id: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
  used_by: string | null;
  charge_id: string | null;
  transfer_id: string | null;
}

type PaymentCodesDb = Kysely<{ points_payment_codes: PaymentCodesTable }>;

/**
 * JPQR's consumer-presented codes are digits only, so any till's barcode or QR reader (and a
 * person typing) can take them; a fixed prefix tells the till which scheme a code is for.
 */
export const PAYMENT_CODE_PREFIX = '99';
export const PAYMENT_CODE_LENGTH = 20;
/** Short: a code seen over a shoulder, or photographed, is worth nothing a few minutes later. */
export const PAYMENT_CODE_SECONDS = 300;
/**
 * Live codes one resident may have. More than one, so reloading the page while the till is
 * reading the code shown does not void it; a new code past this retires the oldest.
 */
export const MAX_LIVE_CODES = 3;
/** Unused codes expired longer ago than this are deleted when the resident makes a new one. */
const KEEP_EXPIRED_MS = 24 * 3_600_000;
const CHARGE_ID = /^[A-Za-z0-9-]{8,64}$/;

const digest = (code: string) => hash('sha256', code);
const invalid = (detail: string) => new MachiError('validation-failed', detail);

/**
 * The Luhn check digit (ISO/IEC 7812-1) of `payload`: a digit typed wrong, or two swapped,
 * makes a code the till refuses as mistyped rather than one it looks up.
 */
function luhnDigit(payload: string): string {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    let digit = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

/** The prefix, 17 random digits (≈ 2⁵⁶: guessing a live code is hopeless) and the check digit. */
function newPaymentCode(): string {
  const random = Array.from({ length: PAYMENT_CODE_LENGTH - PAYMENT_CODE_PREFIX.length - 1 }, () =>
    String(randomInt(10)),
  ).join('');
  const payload = `${PAYMENT_CODE_PREFIX}${random}`;
  return `${payload}${luhnDigit(payload)}`;
}

/** A code as read or typed: full-width digits folded, spaces and hyphens dropped. */
export function normalizePaymentCode(typed: string): string {
  return toHalfWidthAscii(typed).replace(/[\s\-ー−‐]/g, '');
}

/** Whether `code` (normalized) is shaped like a payment code: length, prefix and check digit. */
export function isPaymentCode(code: string): boolean {
  return (
    code.length === PAYMENT_CODE_LENGTH &&
    /^\d+$/.test(code) &&
    code.startsWith(PAYMENT_CODE_PREFIX) &&
    luhnDigit(code.slice(0, -1)) === code.slice(-1)
  );
}

/** 9912 3456 7890 1234 5678: groups of four, as shown on the phone and read out at the till. */
export function formatPaymentCode(code: string): string {
  return code.match(/.{1,4}/g)?.join(' ') ?? code;
}

export interface PaymentCode {
  /** Shown once, to the resident: only its digest is kept. */
  readonly code: string;
  readonly expiresAt: Date;
}

/**
 * A resident's one-time code to show at a till (利用者提示型): valid for five minutes, for one
 * payment of the amount the shop charges, recorded in the audit log (without the code).
 * Careful: the code is returned here and nowhere else.
 */
export async function issuePaymentCode(
  db: Kysely<PointsLedgerTables>,
  context: Pick<LedgerContext, 'clock' | 'audit'>,
  payer: { readonly scope: TenantScope; readonly myKeyId: string },
): Promise<PaymentCode> {
  const now = context.clock.now();
  const code = newPaymentCode();
  const codeSha256 = digest(code);
  const expiresAt = new Date(now.getTime() + PAYMENT_CODE_SECONDS * 1000);
  const municipalityCode = payer.scope.municipalityCode;
  await inTransaction(db, async (trx) => {
    const codes = trx as unknown as PaymentCodesDb;
    await codes
      .deleteFrom('points_payment_codes')
      .where('municipality_code', '=', municipalityCode)
      .where('my_key_id', '=', payer.myKeyId)
      .where('used_at', 'is', null)
      .where('expires_at', '<', new Date(now.getTime() - KEEP_EXPIRED_MS))
      .execute();
    await codes
      .insertInto('points_payment_codes')
      .values({
        municipality_code: municipalityCode,
        code_sha256: codeSha256,
        my_key_id: payer.myKeyId,
        created_at: now,
        expires_at: expiresAt,
        used_at: null,
        used_by: null,
        charge_id: null,
        transfer_id: null,
      })
      .execute();
    const older = await codes
      .selectFrom('points_payment_codes')
      .select('code_sha256')
      .where('municipality_code', '=', municipalityCode)
      .where('my_key_id', '=', payer.myKeyId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .where('code_sha256', '!=', codeSha256)
      .orderBy('created_at', 'desc')
      .execute();
    const retired = older.slice(MAX_LIVE_CODES - 1).map((row) => row.code_sha256);
    if (retired.length > 0) {
      await codes
        .updateTable('points_payment_codes')
        .set({ expires_at: now })
        .where('municipality_code', '=', municipalityCode)
        .where('code_sha256', 'in', retired)
        .execute();
    }
    // Who made a code that can spend their points, and when: never the code or its digest.
    await context.audit.append(trx, {
      municipalityCode,
      actor: `resident:${payer.myKeyId}`,
      action: 'points.payment-code.issue',
      target: payer.myKeyId,
      outcome: 'success',
      details: { expiresAt: expiresAt.toISOString() },
    });
  });
  return { code, expiresAt };
}

export interface CodeCharge {
  /** As the till read it, or as typed (spaces allowed). */
  readonly code: string;
  readonly amount: number;
  /** Chosen by the terminal for this charge: a retry with it charges once. */
  readonly chargeId: string;
}

export interface ChargeReceipt {
  readonly chargeId: string;
  /** The payment's reference, as in the day's list and for a refund: it names no payer. */
  readonly ref: string;
  readonly amount: number;
  readonly paidAt: Date;
  readonly repeated: boolean;
}

/**
 * A merchant's terminal charges a resident's one-time code: the code known in the merchant's
 * municipality (points are spent where they were issued), unused and unexpired, then one
 * transfer from the resident to the merchant, like a QR payment's (code `payment`, its `ref`),
 * so the day's list, refunds and settlement count it. The code is marked used in the same
 * transaction: it pays once, and a payment refused (too few points) leaves it usable. The same
 * charge id again answers the first payment; another charge of a used code is refused.
 */
export async function payByCode(
  db: MerchantsDb,
  context: LedgerContext,
  terminal: { readonly scope: TenantScope; readonly merchantId: string; readonly keyId: string },
  charge: CodeCharge,
): Promise<ChargeReceipt> {
  const { scope, merchantId } = terminal;
  if (!CHARGE_ID.test(charge.chargeId)) throw invalid('chargeId is 8–64 characters of A–Z, a–z, 0–9 and -.');
  const amount = charge.amount;
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > MAX_PAYMENT) {
    throw invalid(`The amount is a whole number of points from 1 to ${MAX_PAYMENT}.`);
  }
  const code = normalizePaymentCode(charge.code);
  if (!isPaymentCode(code)) {
    throw new MachiError(
      'qr-invalid',
      `Not a payment code: ${PAYMENT_CODE_LENGTH} digits starting ${PAYMENT_CODE_PREFIX}. Read it again.`,
    );
  }
  const merchant = await merchantOf(db, scope, merchantId);
  if (!merchant.active)
    throw new MachiError('merchant-unknown', 'This shop does not take points at the moment.');
  const now = context.clock.now();
  const codeSha256 = digest(code);
  try {
    return await inTransaction(db as unknown as Kysely<PointsLedgerTables>, async (trx) => {
      const codes = trx as unknown as PaymentCodesDb;
      const row = await codes
        .selectFrom('points_payment_codes')
        .selectAll()
        .where('municipality_code', '=', scope.municipalityCode)
        .where('code_sha256', '=', codeSha256)
        .forUpdate()
        .executeTakeFirst();
      if (!row) {
        throw new MachiError(
          'not-found',
          "No such payment code for this municipality's points: ask the customer to show a new one.",
        );
      }
      if (row.used_at !== null) {
        if (row.used_by === merchantId && row.charge_id === charge.chargeId) {
          return earlierCharge(trx, scope, row, charge);
        }
        throw new MachiError('conflict', 'This payment code has already been used: ask for a new one.');
      }
      if (row.expires_at.getTime() <= now.getTime()) {
        throw new MachiError(
          'conflict',
          'This payment code has expired: ask the customer to show a new one.',
        );
      }
      const taken = await codes
        .selectFrom('points_payment_codes')
        .select('code_sha256')
        .where('municipality_code', '=', scope.municipalityCode)
        .where('used_by', '=', merchantId)
        .where('charge_id', '=', charge.chargeId)
        .executeTakeFirst();
      if (taken) throw chargeIdTaken(charge.chargeId);
      const transferId = `pay:${row.my_key_id}:code-${codeSha256.slice(0, 32)}`;
      const ref = paymentRefOf(transferId);
      const transfer = await postTransfer(
        trx,
        context,
        scope,
        {
          transferId,
          code: 'payment',
          legs: [{ debit: accountId('resident', row.my_key_id), credit: merchant.accountId, amount }],
          details: { merchant: merchantId, ref, via: 'code' },
        },
        `merchant:${merchantId}:${terminal.keyId}`,
      );
      await codes
        .updateTable('points_payment_codes')
        .set({ used_at: now, used_by: merchantId, charge_id: charge.chargeId, transfer_id: transferId })
        .where('municipality_code', '=', scope.municipalityCode)
        .where('code_sha256', '=', codeSha256)
        .execute();
      return { chargeId: charge.chargeId, ref, amount, paidAt: transfer.createdAt, repeated: false };
    });
  } catch (error) {
    // Two charges under one id at the same moment, each with another code: the index decides.
    if (isUniqueViolation(error)) throw chargeIdTaken(charge.chargeId);
    throw error;
  }
}

const chargeIdTaken = (chargeId: string) =>
  new MachiError('conflict', `chargeId ${chargeId} was used for another code: each charge has its own.`);

/** The payment a charge id made before: the same amount answers it, another is a different charge. */
async function earlierCharge(
  trx: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  row: PaymentCodesTable,
  charge: CodeCharge,
): Promise<ChargeReceipt> {
  const transferId = row.transfer_id ?? '';
  const transfer = await trx
    .selectFrom('points_transfers')
    .select(['amount', 'created_at'])
    .where('municipality_code', '=', scope.municipalityCode)
    .where('transfer_id', '=', transferId)
    .executeTakeFirstOrThrow();
  if (Number(transfer.amount) !== charge.amount) {
    throw new MachiError(
      'conflict',
      `chargeId ${charge.chargeId} charged ${transfer.amount} points; a different amount is a different charge.`,
    );
  }
  return {
    chargeId: charge.chargeId,
    ref: paymentRefOf(transferId),
    amount: charge.amount,
    paidAt: new Date(transfer.created_at),
    repeated: true,
  };
}
