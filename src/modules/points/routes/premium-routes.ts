import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type HttpApp, MachiError } from '../../../core/index.ts';
import { type MyKeyDb, myKeyIdOf } from '../../mykey/index.ts';
import type { PaymentProvider, RetryPolicy } from '../../procedures/index.ts';
import { buyPremiumPoints } from '../premium/buy-premium-points.ts';
import { MAX_UNITS_PER_PURCHASE, type PremiumDb } from '../premium/offers.ts';
import { premiumOffersFor } from '../premium/offers-for-resident.ts';
import type { PremiumPurchase } from '../premium/purchases.ts';
import type { PointsResident, PointsRoutesContext } from './resident-routes.ts';

export interface PointsPremiumContext extends PointsRoutesContext {
  readonly provider: PaymentProvider;
  readonly retry?: RetryPolicy;
}

export const PremiumPurchaseBody = Type.Object(
  {
    offerId: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }),
    units: Type.Integer({ minimum: 1, maximum: MAX_UNITS_PER_PURCHASE }),
    purchaseId: Type.String({ pattern: '^[A-Za-z0-9-]{8,64}$' }),
    /** The provider's card token, made in the resident's browser: the card number never reaches Machi. */
    cardToken: Type.String({ minLength: 1, maxLength: 255 }),
  },
  { additionalProperties: false },
);

const textOrNull = Type.Union([Type.String(), Type.Null()]);
const count = Type.Integer({ minimum: 0 });

const PurchaseAnswer = Type.Object({
  purchaseId: Type.String(),
  offerId: Type.String(),
  units: count,
  amountYen: count,
  points: count,
  premiumPoints: count,
  state: Type.String(),
  createdAt: Type.String(),
});

const OffersAnswer = Type.Object({
  offers: Type.Array(
    Type.Object({
      offerId: Type.String(),
      name: Type.Object({ ja: Type.String(), en: Type.String() }),
      priceYen: count,
      points: count,
      premiumPoints: count,
      maxUnitsPerPerson: count,
      unitsLeft: count,
      budgetRemains: Type.Boolean(),
      salesUntil: textOrNull,
      pointsExpireOn: textOrNull,
    }),
  ),
});

const answerOf = (purchase: PremiumPurchase) => ({
  ...purchase,
  createdAt: purchase.createdAt.toISOString(),
});

/**
 * Premium points for the signed-in resident (internet zone): the offers of their
 * municipality with what is left for them, and buying by card. A purchase sent again under
 * its purchaseId answers 200 with the first one; nothing is charged twice.
 */
export function registerPointsPremiumRoutes(
  app: HttpApp,
  context: PointsPremiumContext,
  resident: PointsResident,
): void {
  const db = context.db as PremiumDb;

  /** The resident's MyKey ID, or 409 with what to do first. */
  async function buyerOf(request: FastifyRequest) {
    const { scope, subjectId } = await resident(request);
    const myKeyId = await myKeyIdOf(context.db as MyKeyDb, scope, subjectId);
    if (!myKeyId) throw new MachiError('conflict', 'Set up your MyKey ID first (POST /api/v1/points/mykey).');
    return { scope, myKeyId };
  }

  app.get(
    '/api/v1/points/premium/offers',
    { schema: { response: { 200: OffersAnswer } } },
    async (request) => {
      const { scope, myKeyId } = await buyerOf(request);
      const offers = await premiumOffersFor(db, scope, myKeyId, context.clock.now());
      return {
        offers: offers.map(({ offer, unitsLeft, budgetRemains }) => ({
          offerId: offer.offerId,
          name: offer.name,
          priceYen: offer.priceYen,
          points: offer.points,
          premiumPoints: offer.points - offer.priceYen,
          maxUnitsPerPerson: offer.maxUnitsPerPerson,
          unitsLeft,
          budgetRemains,
          salesUntil: offer.salesUntil?.toISOString() ?? null,
          pointsExpireOn: offer.pointsExpireOn,
        })),
      };
    },
  );

  app.post(
    '/api/v1/points/premium/purchases',
    { schema: { body: PremiumPurchaseBody, response: { 200: PurchaseAnswer, 201: PurchaseAnswer } } },
    async (request, reply) => {
      const { scope, myKeyId } = await buyerOf(request);
      const { offerId, units, purchaseId, cardToken } = request.body;
      const purchase = await buyPremiumPoints(db, context, scope, {
        myKeyId,
        offerId,
        units,
        purchaseId,
        method: { kind: 'card', token: cardToken },
      });
      return reply.status(purchase.repeated ? 200 : 201).send(answerOf(purchase));
    },
  );
}
