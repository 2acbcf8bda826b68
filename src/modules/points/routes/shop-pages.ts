import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { fill, type HttpApp, pickLang, t } from '../../../core/index.ts';
import { accountId, balanceOf } from '../ledger/accounts.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';
import { type ShopView, shopBody } from '../pages/shop-page.ts';
import { words } from '../pages/texts.ts';
import { ordersOf, productsOf } from '../shop/catalogue.ts';
import { donate } from '../shop/donate.ts';
import { endOrder, placeOrder, type ShopDb } from '../shop/orders.ts';
import { type PageResident, pageResident, refusalText, sendPointsPage, typedPoints } from './page-support.ts';
import type { PointsResident, PointsRoutesContext } from './resident-routes.ts';

const csrf = { _csrf: Type.Optional(Type.String({ maxLength: 100 })) };
/** The order form: `qty-<productId>` fields, one per product on sale, and the page's order id. */
const OrderBody = Type.Record(Type.String({ maxLength: 60 }), Type.String({ maxLength: 100 }), {
  maxProperties: 200,
});
const DonationBody = Type.Object({
  ...csrf,
  amount: Type.Optional(Type.String({ maxLength: 40 })),
  donationId: Type.Optional(Type.String({ maxLength: 80 })),
});
const CancelBody = Type.Object(csrf);
const RefParams = Type.Object({ ref: Type.String({ pattern: '^[0-9a-f]{16}$' }) });

type Shopper = PageResident & { myKeyId: string };

/**
 * The online shop of regional products and donations, on pages (internet zone): /points/shop
 * lists what is on sale with a quantity each (the form is the cart), the resident's orders
 * with a cancel button while they are held, and a donation form.
 */
export function registerPointsShopPages(
  app: HttpApp,
  context: PointsRoutesContext,
  resident: PointsResident,
) {
  const shop = context.db as ShopDb;
  const ledger = context.db as Kysely<PointsLedgerTables>;

  async function shopper(request: FastifyRequest, reply: FastifyReply): Promise<Shopper | undefined> {
    const who = await pageResident(context, resident, request, reply, '/points/shop');
    if (who && !who.myKeyId) await reply.redirect('/points', 303);
    return who?.myKeyId ? (who as Shopper) : undefined;
  }

  async function shopPage(
    request: FastifyRequest,
    reply: FastifyReply,
    who: Shopper,
    extra: Pick<Partial<ShopView>, 'done' | 'orderError' | 'donateError'> = {},
  ) {
    const lang = pickLang(request);
    const refused = extra.orderError !== undefined || extra.donateError !== undefined;
    const body = shopBody(lang, {
      csrfToken: who.csrfToken,
      products: await productsOf(shop, who.scope),
      orders: await ordersOf(shop, who.scope, who.myKeyId),
      orderId: randomUUID(),
      donationId: randomUUID(),
      available: (await balanceOf(ledger, who.scope, accountId('resident', who.myKeyId))).available,
      ...extra,
    });
    return sendPointsPage(request, reply, {
      title: t(lang, words.shopTitle),
      body,
      path: '/points/shop',
      ...(refused ? { status: 422, error: true } : {}),
    });
  }

  app.get('/points/shop', async (request, reply) => {
    const who = await shopper(request, reply);
    return who ? shopPage(request, reply, who) : reply;
  });

  app.post('/points/shop/orders', { schema: { body: OrderBody } }, async (request, reply) => {
    const who = await shopper(request, reply);
    if (!who) return reply;
    const lang = pickLang(request);
    const items: { productId: string; quantity: number }[] = [];
    for (const [name, value] of Object.entries(request.body)) {
      const productId = /^qty-([a-z0-9-]{1,40})$/.exec(name)?.[1];
      const quantity = Number(value.trim() || '0');
      if (!productId || !Number.isSafeInteger(quantity) || quantity <= 0) continue;
      items.push({ productId, quantity });
    }
    if (items.length === 0) return shopPage(request, reply, who, { orderError: t(lang, words.orderNothing) });
    try {
      const order = await placeOrder(shop, context, who.scope, {
        orderId: request.body.orderId ?? '',
        myKeyId: who.myKeyId,
        items,
      });
      const done = fill(t(lang, words.orderDone), {
        ref: order.ref,
        n: order.totalPoints.toLocaleString('ja-JP'),
      });
      return shopPage(request, reply, who, { done });
    } catch (error) {
      return shopPage(request, reply, who, { orderError: refusalText(lang, error) });
    }
  });

  app.post(
    '/points/shop/orders/:ref/cancel',
    { schema: { params: RefParams, body: CancelBody } },
    async (request, reply) => {
      const who = await shopper(request, reply);
      if (!who) return reply;
      const lang = pickLang(request);
      const account = accountId('resident', who.myKeyId);
      try {
        await endOrder(shop, context, who.scope, { ref: request.params.ref, account }, 'cancel', account);
        return shopPage(request, reply, who, { done: t(lang, words.cancelDone) });
      } catch (error) {
        return shopPage(request, reply, who, { orderError: refusalText(lang, error) });
      }
    },
  );

  app.post('/points/donations', { schema: { body: DonationBody } }, async (request, reply) => {
    const who = await shopper(request, reply);
    if (!who) return reply;
    const lang = pickLang(request);
    const amount = typedPoints(request.body.amount);
    if (amount === undefined)
      return shopPage(request, reply, who, { donateError: t(lang, words.amountInvalid) });
    try {
      await donate(ledger, context, who.scope, {
        myKeyId: who.myKeyId,
        donationId: request.body.donationId ?? '',
        amount,
      });
      const done = fill(t(lang, words.donateDone), { n: amount.toLocaleString('ja-JP') });
      return shopPage(request, reply, who, { done });
    } catch (error) {
      return shopPage(request, reply, who, { donateError: refusalText(lang, error) });
    }
  });
}
