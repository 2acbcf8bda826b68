import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { type HttpApp, toIsoDate } from '../../../core/index.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';
import { type MerchantKeysDb, merchantOfToken } from '../merchants/keys.ts';
import { type MerchantsDb, merchantOf, merchantQrText } from '../merchants/merchants.ts';
import { merchantDay } from '../payments/merchant-payments.ts';
import { MAX_PAYMENT } from '../payments/pay-by-qr.ts';
import { refundPayment } from '../payments/refund-payment.ts';
import type { PointsRoutesContext } from './resident-routes.ts';

export const CodeBody = Type.Object(
  {
    amount: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAYMENT })),
    reference: Type.Optional(Type.String({ pattern: '^[ -~]{1,25}$' })),
  },
  { additionalProperties: false },
);
export const RefundBody = Type.Object(
  { ref: Type.String({ pattern: '^[0-9a-f]{16}$' }) },
  { additionalProperties: false },
);
export const DayQuery = Type.Object({ date: Type.Optional(Type.String({ format: 'date' })) });

/**
 * The merchant API (internet zone), for a shop's till or tablet with its terminal key
 * (`Authorization: Bearer mk_…`): the code to show (static, or with an amount), the day's
 * payments and totals, and refunds. A terminal sees its own merchant's payments only, by
 * reference, never who paid.
 */
export function registerPointsMerchantRoutes(app: HttpApp, context: PointsRoutesContext): void {
  const ledger = context.db as Kysely<PointsLedgerTables>;
  const terminal = (request: FastifyRequest) =>
    merchantOfToken(context.db as MerchantKeysDb, request.headers.authorization);

  app.post('/api/v1/points/merchant/codes', { schema: { body: CodeBody } }, async (request) => {
    const { scope, merchantId } = await terminal(request);
    const merchant = await merchantOf(context.db as MerchantsDb, scope, merchantId);
    const { amount, reference } = request.body;
    const charge = amount ? { amount, ...(reference ? { reference } : {}) } : undefined;
    return { qr: merchantQrText(scope, merchant, charge), kind: charge ? 'dynamic' : 'static' };
  });

  app.get('/api/v1/points/merchant/day', { schema: { querystring: DayQuery } }, async (request) => {
    const { scope, merchantId } = await terminal(request);
    const day = await merchantDay(
      ledger,
      scope,
      merchantId,
      request.query.date ?? toIsoDate(context.clock.now()),
    );
    return { ...day, payments: day.payments.map((one) => ({ ...one, paidAt: one.paidAt.toISOString() })) };
  });

  app.post('/api/v1/points/merchant/refunds', { schema: { body: RefundBody } }, async (request, reply) => {
    const { scope, merchantId, keyId } = await terminal(request);
    const refund = await refundPayment(
      ledger,
      context,
      scope,
      merchantId,
      request.body.ref,
      `merchant:${merchantId}:${keyId}`,
    );
    return reply
      .status(refund.repeated ? 200 : 201)
      .send({ ref: request.body.ref, amount: refund.amount, refundedAt: refund.createdAt.toISOString() });
  });
}
