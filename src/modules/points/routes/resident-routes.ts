import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { type HttpApp, MachiError, type TenantScope } from '../../../core/index.ts';
import { type MyKeyDb, myKeyIdOf } from '../../mykey/index.ts';
import { accountId, balanceOf } from '../ledger/accounts.ts';
import type { LedgerContext } from '../ledger/post-transfer.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';
import type { MerchantsDb } from '../merchants/merchants.ts';
import { payByQr } from '../payments/pay-by-qr.ts';
import { setUpPointsAccount } from './points-account.ts';

/** Who is asking: the zone decides (the internet zone: a resident signed in with the card). */
export type PointsResident = (
  request: FastifyRequest,
) => Promise<{ scope: TenantScope; subjectId: string; csrfToken: string }>;

export interface PointsRoutesContext extends LedgerContext {
  // biome-ignore lint/suspicious/noExplicitAny: the zone's database, of any tables.
  readonly db: Kysely<any>;
}

const PaymentBody = Type.Object(
  {
    qr: Type.String({ minLength: 1, maxLength: 512 }),
    amount: Type.Optional(Type.Integer({ minimum: 1 })),
    paymentId: Type.String({ pattern: '^[A-Za-z0-9-]{8,64}$' }),
  },
  { additionalProperties: false },
);

/**
 * The resident's points (internet zone): set up the MyKey ID (which opens the points
 * account), see the balance, and pay a shop by its QR code.
 */
export function registerPointsResidentRoutes(
  app: HttpApp,
  context: PointsRoutesContext,
  resident: PointsResident,
) {
  const ledger = context.db as Kysely<PointsLedgerTables>;

  /** The resident's MyKey ID, or 409 with what to do first. */
  async function payerOf(request: FastifyRequest) {
    const { scope, subjectId } = await resident(request);
    const myKeyId = await myKeyIdOf(context.db as MyKeyDb, scope, subjectId);
    if (!myKeyId) throw new MachiError('conflict', 'Set up your MyKey ID first (POST /api/v1/points/mykey).');
    return { scope, myKeyId };
  }

  app.post('/api/v1/points/mykey', async (request, reply) => {
    const { scope, subjectId } = await resident(request);
    const result = await setUpPointsAccount(context, scope, subjectId);
    return reply.status(result.created ? 201 : 200).send({ myKeyId: result.myKeyId });
  });

  app.get('/api/v1/points/me', async (request) => {
    const { scope, myKeyId } = await payerOf(request);
    const balance = await balanceOf(ledger, scope, accountId('resident', myKeyId));
    return { myKeyId, balance: { posted: balance.posted, available: balance.available } };
  });

  app.post('/api/v1/points/payments', { schema: { body: PaymentBody } }, async (request, reply) => {
    const payer = await payerOf(request);
    const receipt = await payByQr(context.db as MerchantsDb, context, payer, request.body);
    return reply.status(receipt.repeated ? 200 : 201).send({
      paymentId: receipt.paymentId,
      ref: receipt.ref,
      amount: receipt.amount,
      merchant: { merchantId: receipt.merchant.merchantId, name: receipt.merchant.name },
      reference: receipt.reference,
      paidAt: receipt.paidAt.toISOString(),
    });
  });
}
