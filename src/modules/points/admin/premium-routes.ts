import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { fill, type HttpApp, pickLang, type TenantScope, t } from '../../../core/index.ts';
import { currentStaff, requireRole, staffScope } from '../../identity/index.ts';
import type { PremiumOffer } from '../premium/offers.ts';
import type { OfferFunding } from '../premium/save-offer.ts';
import type { PointsAdminContext } from './admin-routes.ts';
import { typedFields } from './form-fields.ts';
import { type PremiumForm, readPremiumForm, typedOfOffer } from './premium-form.ts';
import { type PremiumView, premiumBody } from './premium-pages.ts';
import { adminOffers, type PremiumAdminDb, recordFunding, saveAdminOffer } from './premium-store.ts';
import { premiumWords as w } from './premium-words.ts';
import { sendStaffPointsPage } from './staff-page.ts';

/** How lgwan sends an offer (and what was added to its budget) to the internet zone: into its outbox, in the caller's transaction. */
export interface PointsPremiumPublish {
  offer(
    // biome-ignore lint/suspicious/noExplicitAny: the caller's transaction, of any tables.
    trx: Kysely<any>,
    scope: TenantScope,
    offer: PremiumOffer,
    revision: number,
    funding: OfferFunding | null,
  ): Promise<unknown>;
}

const text = Type.Optional(Type.String({ maxLength: 200 }));
const OfferBody = Type.Object({
  _csrf: text,
  offerId: text,
  nameJa: text,
  nameEn: text,
  priceYen: text,
  points: text,
  maxUnitsPerPerson: text,
  pointsExpireOn: text,
  salesFrom: text,
  salesUntil: text,
  active: text,
  budgetPoints: text,
});
const PremiumQuery = Type.Object({ offer: Type.Optional(Type.String({ maxLength: 64 })) });

/**
 * Premium points offers for points staff in lgwan (role points-admin): the terms (price,
 * points, cap a person, sales window, expiry) and public money added to each offer's budget.
 * Each save is kept here and put in the outbox for the internet zone in the same transaction,
 * with an audit entry; money added carries a funding id of its own, so the internet zone's
 * ledger posts it once however often the message arrives.
 */
export function registerPointsPremiumPages(
  app: HttpApp,
  context: PointsAdminContext,
  publish: PointsPremiumPublish,
) {
  const db = context.db as PremiumAdminDb;
  const admin = { preValidation: requireRole('points-admin') };

  async function premiumPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Pick<PremiumView, 'done' | 'problems' | 'typed'> = {},
  ) {
    const lang = pickLang(request);
    const body = premiumBody(lang, {
      csrfToken: currentStaff(request).csrfToken,
      offers: await adminOffers(db, staffScope(request)),
      ...extra,
    });
    const refused = (extra.problems?.length ?? 0) > 0;
    return sendStaffPointsPage(request, reply, {
      title: t(lang, w.title),
      body,
      ...(refused ? { status: 422, error: true } : {}),
    });
  }

  app.get(
    '/points/admin/premium',
    { ...admin, schema: { querystring: PremiumQuery } },
    async (request, reply) => {
      // ?offer=<id>: that offer's terms in the form, to change them.
      const chosen = request.query.offer;
      const offers = chosen ? await adminOffers(db, staffScope(request)) : [];
      const kept = offers.find((one) => one.offer.offerId === chosen);
      return premiumPage(request, reply, kept ? { typed: typedOfOffer(kept.offer) } : {});
    },
  );

  app.post('/points/admin/premium', { ...admin, schema: { body: OfferBody } }, async (request, reply) => {
    const lang = pickLang(request);
    const scope = staffScope(request);
    const staff = currentStaff(request);
    const { offer, budgetPoints, problems } = readPremiumForm(lang, request.body as PremiumForm);
    if (problems.length > 0) {
      return premiumPage(request, reply, { problems, typed: typedFields(request.body) });
    }
    const funding = budgetPoints ? { fundingId: randomUUID(), points: budgetPoints } : null;
    await db.transaction().execute(async (trx) => {
      const now = context.clock.now();
      const revision = await saveAdminOffer(trx, scope, offer, staff.staffId, now);
      if (funding) {
        await recordFunding(trx, scope, { ...funding, offerId: offer.offerId }, staff.staffId, now);
      }
      await publish.offer(trx, scope, offer, revision, funding);
      await context.audit.append(trx, {
        municipalityCode: scope.municipalityCode,
        actor: `staff:${staff.staffId}`,
        action: 'points.premium-offer.define',
        target: offer.offerId,
        outcome: 'success',
        details: { revision, fundedPoints: funding?.points ?? 0 },
      });
    });
    const said = { name: t(lang, offer.name), points: (funding?.points ?? 0).toLocaleString('ja-JP') };
    return premiumPage(request, reply, { done: fill(t(lang, funding ? w.savedFunded : w.saved), said) });
  });
}
