import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { type HttpApp, MachiError } from '../../../core/index.ts';
import { type MyKeyDb, myKeyIdOf } from '../../mykey/index.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';
import { type MerchantKeysDb, merchantOfToken } from '../merchants/keys.ts';
import type { MerchantsDb } from '../merchants/merchants.ts';
import { issuePaymentCode, payByCode } from '../payments/one-time-codes.ts';
import { MAX_PAYMENT } from '../payments/pay-by-qr.ts';
import type { PointsResident, PointsRoutesContext } from './resident-routes.ts';

export const ChargeBody = Type.Object(
  {
    /** As the till's reader gives it, or typed: digits, spaces and hyphens. */
    code: Type.String({ minLength: 1, maxLength: 64 }),
    amount: Type.Integer({ minimum: 1, maximum: MAX_PAYMENT }),
    chargeId: Type.String({ pattern: '^[A-Za-z0-9-]{8,64}$' }),
  },
  { additionalProperties: false },
);
export const ChargeReceiptSchema = Type.Object({
  chargeId: Type.String(),
  ref: Type.String(),
  amount: Type.Integer(),
  paidAt: Type.String({ format: 'date-time' }),
});
const PaymentCodeSchema = Type.Object({
  code: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
});

/**
 * Paying with a code the resident shows (利用者提示型, internet zone): the resident's app asks
 * for a one-time code; the shop's till reads it and charges it with its terminal key. The
 * till's answer names the payment by reference only, never who paid.
 */
export function registerPointsCodeRoutes(
  app: HttpApp,
  context: PointsRoutesContext,
  resident: PointsResident,
) {
  app.post(
    '/api/v1/points/codes',
    { schema: { response: { 201: PaymentCodeSchema } } },
    async (request, reply) => {
      const { scope, subjectId } = await resident(request);
      const myKeyId = await myKeyIdOf(context.db as MyKeyDb, scope, subjectId);
      if (!myKeyId)
        throw new MachiError('conflict', 'Set up your MyKey ID first (POST /api/v1/points/mykey).');
      const made = await issuePaymentCode(context.db as Kysely<PointsLedgerTables>, context, {
        scope,
        myKeyId,
      });
      // A code is a bearer secret for its five minutes: no cache keeps it.
      return reply
        .status(201)
        .header('cache-control', 'no-store')
        .send({ code: made.code, expiresAt: made.expiresAt.toISOString() });
    },
  );

  app.post(
    '/api/v1/points/merchant/charges',
    { schema: { body: ChargeBody, response: { 200: ChargeReceiptSchema, 201: ChargeReceiptSchema } } },
    async (request, reply) => {
      const terminal = await merchantOfToken(context.db as MerchantKeysDb, request.headers.authorization);
      const receipt = await payByCode(context.db as MerchantsDb, context, terminal, request.body);
      return reply.status(receipt.repeated ? 200 : 201).send({
        chargeId: receipt.chargeId,
        ref: receipt.ref,
        amount: receipt.amount,
        paidAt: receipt.paidAt.toISOString(),
      });
    },
  );
}
