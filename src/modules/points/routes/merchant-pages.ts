import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import {
  fill,
  type HttpApp,
  isMachiError,
  MachiError,
  page,
  pickLang,
  type SafeHtml,
  t,
  toIsoDate,
} from '../../../core/index.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';
import { type MerchantKeysDb, merchantOfToken } from '../merchants/keys.ts';
import { type Merchant, type MerchantsDb, merchantOf, merchantQrText } from '../merchants/merchants.ts';
import { type MerchantView, merchantBody, merchantSignInBody } from '../pages/merchant-pages.ts';
import { merchantWords, words } from '../pages/texts.ts';
import { merchantDay } from '../payments/merchant-payments.ts';
import { MAX_PAYMENT } from '../payments/pay-by-qr.ts';
import { refundPayment } from '../payments/refund-payment.ts';
import { ordersToShip } from '../shop/catalogue.ts';
import { endOrder, type ShopDb } from '../shop/orders.ts';
import { ChargeForm, chargeOnTablet } from './code-pages.ts';
import { refusalText, typedPoints } from './page-support.ts';
import type { PointsRoutesContext } from './resident-routes.ts';

/** The tablet keeps its terminal key in this cookie, sent only to /merchant pages. */
const MERCHANT_COOKIE = 'machi_terminal';
const csrf = { _csrf: Type.Optional(Type.String({ maxLength: 100 })) };
const SignInBody = Type.Object({ terminalKey: Type.Optional(Type.String({ maxLength: 200 })) });
const RefundForm = Type.Object({ ...csrf, ref: Type.Optional(Type.String({ maxLength: 40 })) });
const CsrfForm = Type.Object(csrf);
const RefParams = Type.Object({ ref: Type.String({ pattern: '^[0-9a-f]{16}$' }) });
const ChargeQuery = Type.Object({ amount: Type.Optional(Type.String({ maxLength: 40 })) });

/**
 * The form token of a tablet's pages, derived from its key: an attacker's page can neither read
 * the key (HttpOnly) nor make the token, and the server keeps no session for it.
 */
const csrfTokenOf = (key: string) =>
  createHash('sha256').update(`machi-merchant-form\0${key}`).digest('base64url');

function sameToken(a: string | undefined, b: string): boolean {
  const left = Buffer.from(a ?? '');
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * A shop's tablet pages (internet zone), for the shop owner: sign in once with the terminal
 * key, then /merchant shows the code to scan (static, or for an amount typed there), today's
 * payments with refunds and totals, and orders to ship. Every form is checked against the
 * key's token; a key that is revoked signs the tablet out.
 */
export function registerPointsMerchantPages(
  app: HttpApp,
  context: PointsRoutesContext,
  options: { readonly secureCookies: boolean },
) {
  const ledger = context.db as Kysely<PointsLedgerTables>;

  const send = (
    request: FastifyRequest,
    reply: FastifyReply,
    title: string,
    body: SafeHtml,
    status = 200,
  ) => {
    const lang = pickLang(request);
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .send(page({ lang, title, zoneLabel: t(lang, words.zone), body, path: request.url }).toString());
  };

  /** The tablet's merchant, or undefined (no key, or one no longer valid). */
  async function terminalOf(request: FastifyRequest) {
    const key = request.cookies[MERCHANT_COOKIE];
    if (!key) return undefined;
    try {
      const found = await merchantOfToken(context.db as MerchantKeysDb, `Bearer ${key}`);
      const merchant = await merchantOf(context.db as MerchantsDb, found.scope, found.merchantId);
      return { ...found, merchant, csrfToken: csrfTokenOf(key) };
    } catch (error) {
      if (isMachiError(error) && error.code === 'authentication-required') return undefined;
      throw error;
    }
  }
  type Terminal = NonNullable<Awaited<ReturnType<typeof terminalOf>>>;

  /** The terminal behind a form, its token checked; otherwise the reply is sent. */
  async function formTerminal(request: FastifyRequest, reply: FastifyReply): Promise<Terminal | undefined> {
    const terminal = await terminalOf(request);
    if (!terminal) {
      await reply.redirect('/merchant', 303);
      return undefined;
    }
    if (!sameToken((request.body as { _csrf?: string } | undefined)?._csrf, terminal.csrfToken))
      throw new MachiError('csrf-invalid');
    return terminal;
  }

  async function dashboard(
    request: FastifyRequest,
    reply: FastifyReply,
    terminal: Terminal,
    extra: Pick<Partial<MerchantView>, 'done' | 'error' | 'errorAt'> & {
      amount?: number;
      status?: number;
      typedCharge?: { code: string; amount: string };
    } = {},
  ) {
    const lang = pickLang(request);
    const merchant: Merchant = terminal.merchant;
    const charge = extra.amount === undefined ? undefined : { amount: extra.amount };
    const view: MerchantView = {
      csrfToken: terminal.csrfToken,
      shopName: merchant.name,
      qr: { text: merchantQrText(terminal.scope, merchant, charge), amount: extra.amount },
      day: await merchantDay(ledger, terminal.scope, merchant.merchantId, toIsoDate(context.clock.now())),
      orders: await ordersToShip(context.db as ShopDb, terminal.scope, merchant.merchantId),
      codeCharge: { chargeId: randomUUID(), ...extra.typedCharge },
      done: extra.done,
      error: extra.error,
      errorAt: extra.errorAt,
    };
    const title = `${t(lang, merchantWords.title)}（${merchant.name}）`;
    return send(
      request,
      reply,
      extra.error ? `${t(lang, words.errorPrefix)}${title}` : title,
      merchantBody(lang, view),
      extra.status,
    );
  }

  app.get('/merchant', { schema: { querystring: ChargeQuery } }, async (request, reply) => {
    const lang = pickLang(request);
    const terminal = await terminalOf(request);
    if (!terminal) return send(request, reply, t(lang, merchantWords.signInTitle), merchantSignInBody(lang));
    const typed = request.query.amount?.trim();
    if (!typed) return dashboard(request, reply, terminal);
    const amount = typedPoints(typed);
    if (amount === undefined || amount > MAX_PAYMENT)
      return dashboard(request, reply, terminal, { error: t(lang, words.amountInvalid), status: 422 });
    return dashboard(request, reply, terminal, { amount });
  });

  app.post('/merchant/sign-in', { schema: { body: SignInBody } }, async (request, reply) => {
    const lang = pickLang(request);
    const key = (request.body.terminalKey ?? '').trim();
    try {
      await merchantOfToken(context.db as MerchantKeysDb, `Bearer ${key}`);
    } catch (error) {
      if (!isMachiError(error) || error.code !== 'authentication-required') throw error;
      const body = merchantSignInBody(lang, t(lang, merchantWords.keyRefused));
      return send(
        request,
        reply,
        `${t(lang, words.errorPrefix)}${t(lang, merchantWords.signInTitle)}`,
        body,
        401,
      );
    }
    reply.setCookie(MERCHANT_COOKIE, key, {
      path: '/merchant',
      httpOnly: true,
      secure: options.secureCookies,
      sameSite: 'strict',
      maxAge: 365 * 24 * 3600,
    });
    return reply.redirect('/merchant', 303);
  });

  app.post('/merchant/sign-out', { schema: { body: CsrfForm } }, async (request, reply) => {
    const terminal = await formTerminal(request, reply);
    if (!terminal) return reply;
    reply.clearCookie(MERCHANT_COOKIE, { path: '/merchant' });
    return reply.redirect('/merchant', 303);
  });

  app.post('/merchant/refunds', { schema: { body: RefundForm } }, async (request, reply) => {
    const terminal = await formTerminal(request, reply);
    if (!terminal) return reply;
    const lang = pickLang(request);
    const ref = request.body.ref ?? '';
    try {
      if (!/^[0-9a-f]{16}$/.test(ref)) throw new MachiError('not-found', 'No such payment.');
      const actor = `merchant:${terminal.merchantId}:${terminal.keyId}`;
      await refundPayment(ledger, context, terminal.scope, terminal.merchantId, ref, actor);
      return dashboard(request, reply, terminal, { done: fill(t(lang, merchantWords.refundDone), { ref }) });
    } catch (error) {
      return dashboard(request, reply, terminal, {
        error: refusalText(lang, error),
        errorAt: '#today-heading',
        status: 422,
      });
    }
  });

  // A customer's one-time code (利用者提示型): routes/code-pages.ts charges it and says how it went.
  app.post('/merchant/charges', { schema: { body: ChargeForm } }, async (request, reply) => {
    const terminal = await formTerminal(request, reply);
    if (!terminal) return reply;
    const outcome = await chargeOnTablet(context, terminal, request.body, pickLang(request));
    return dashboard(request, reply, terminal, outcome);
  });

  app.post(
    '/merchant/orders/:ref/confirm',
    { schema: { params: RefParams, body: CsrfForm } },
    async (request, reply) => {
      const terminal = await formTerminal(request, reply);
      if (!terminal) return reply;
      const lang = pickLang(request);
      const { ref } = request.params;
      try {
        const actor = `merchant:${terminal.merchantId}:${terminal.keyId}`;
        await endOrder(
          context.db as ShopDb,
          context,
          terminal.scope,
          { ref, merchantId: terminal.merchantId },
          'confirm',
          actor,
        );
        return dashboard(request, reply, terminal, {
          done: fill(t(lang, merchantWords.orderConfirmed), { ref }),
        });
      } catch (error) {
        return dashboard(request, reply, terminal, {
          error: refusalText(lang, error),
          errorAt: '#orders-heading',
          status: 422,
        });
      }
    },
  );
}
