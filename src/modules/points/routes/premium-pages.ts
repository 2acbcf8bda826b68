import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { fill, type HttpApp, isMachiError, type Lang, pickLang, t } from '../../../core/index.ts';
import { type PremiumView, premiumBody } from '../pages/premium-page.ts';
import { words } from '../pages/texts.ts';
import { buyPremiumPoints } from '../premium/buy-premium-points.ts';
import type { PremiumDb } from '../premium/offers.ts';
import { premiumOffersFor } from '../premium/offers-for-resident.ts';
import { type PageResident, pageResident, refusalText, sendPointsPage } from './page-support.ts';
import type { PointsPremiumContext } from './premium-routes.ts';
import type { PointsResident } from './resident-routes.ts';

const BuyBody = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 100 })),
  offerId: Type.Optional(Type.String({ maxLength: 60 })),
  purchaseId: Type.Optional(Type.String({ maxLength: 80 })),
  units: Type.Optional(Type.String({ maxLength: 10 })),
  cardNumber: Type.Optional(Type.String({ maxLength: 40 })),
});

/** Why a purchase was refused, in the resident's words, and the field it is about. */
function purchaseRefusal(lang: Lang, offerId: string, error: unknown): NonNullable<PremiumView['error']> {
  const code = isMachiError(error) ? error.code : undefined;
  const card = (message: string) => ({ offerId, field: 'card-number' as const, message });
  const units = (message: string) => ({ offerId, field: 'units' as const, message });
  if (code === 'payment-declined') return card(t(lang, words.declined));
  if (code === 'payment-unavailable') return card(t(lang, words.paymentUnavailable));
  if (code === 'premium-cap-reached') return units(t(lang, words.premiumCapReached));
  if (code === 'premium-budget-exhausted') return units(t(lang, words.premiumBudgetExhausted));
  return units(refusalText(lang, error));
}

/**
 * Buying premium points on a page (internet zone): /points/premium lists the offers with
 * what is left for the resident; the form pays by card (the built-in test provider takes the
 * number as its token; a real gateway's script would make the token in the browser).
 */
export function registerPointsPremiumPages(
  app: HttpApp,
  context: PointsPremiumContext,
  resident: PointsResident,
) {
  const db = context.db as PremiumDb;

  async function buyer(request: FastifyRequest, reply: FastifyReply) {
    const who = await pageResident(context, resident, request, reply, '/points/premium');
    if (who && !who.myKeyId) await reply.redirect('/points', 303);
    return who?.myKeyId ? (who as PageResident & { myKeyId: string }) : undefined;
  }

  async function premiumPage(
    request: FastifyRequest,
    reply: FastifyReply,
    who: PageResident & { myKeyId: string },
    extra: Pick<PremiumView, 'done' | 'error'> = {},
  ) {
    const lang = pickLang(request);
    const offers = await premiumOffersFor(db, who.scope, who.myKeyId, context.clock.now());
    return sendPointsPage(request, reply, {
      title: t(lang, words.premiumTitle),
      body: premiumBody(lang, { csrfToken: who.csrfToken, offers, purchaseId: randomUUID(), ...extra }),
      path: '/points/premium',
      ...(extra.error ? { status: 422, error: true } : {}),
    });
  }

  app.get('/points/premium', async (request, reply) => {
    const who = await buyer(request, reply);
    return who ? premiumPage(request, reply, who) : reply;
  });

  app.post('/points/premium', { schema: { body: BuyBody } }, async (request, reply) => {
    const who = await buyer(request, reply);
    if (!who) return reply;
    const lang = pickLang(request);
    const { offerId = '', purchaseId = '', units = '', cardNumber = '' } = request.body;
    try {
      const purchase = await buyPremiumPoints(db, context, who.scope, {
        myKeyId: who.myKeyId,
        offerId,
        units: /^\d{1,2}$/.test(units) ? Number(units) : Number.NaN,
        purchaseId,
        // The test provider's token is the card number; spaces and hyphens as typed are dropped.
        method: { kind: 'card', token: cardNumber.replace(/[\s-]/g, '') },
      });
      const done = fill(t(lang, words.bought), {
        yen: purchase.amountYen.toLocaleString('ja-JP'),
        points: purchase.points.toLocaleString('ja-JP'),
        premium: purchase.premiumPoints.toLocaleString('ja-JP'),
      });
      return premiumPage(request, reply, who, { done });
    } catch (error) {
      return premiumPage(request, reply, who, { error: purchaseRefusal(lang, offerId, error) });
    }
  });
}
