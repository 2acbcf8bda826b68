import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { type HttpApp, isMachiError, pickLang, t, tokyoDateTime } from '../../../core/index.ts';
import { accountId, balanceOf } from '../ledger/accounts.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';
import type { MerchantsDb } from '../merchants/merchants.ts';
import { type ConfirmView, confirmBody, paidBody, scanBody } from '../pages/pay-pages.ts';
import { words } from '../pages/texts.ts';
import { payByQr } from '../payments/pay-by-qr.ts';
import { readMerchantCode } from '../payments/read-code.ts';
import { type PageResident, pageResident, refusalText, sendPointsPage, typedPoints } from './page-support.ts';
import type { PointsResident, PointsRoutesContext } from './resident-routes.ts';

const csrf = { _csrf: Type.Optional(Type.String({ maxLength: 100 })) };
const CheckBody = Type.Object({ ...csrf, qr: Type.Optional(Type.String({ maxLength: 2000 })) });
const PayBody = Type.Object({
  ...csrf,
  qr: Type.Optional(Type.String({ maxLength: 2000 })),
  amount: Type.Optional(Type.String({ maxLength: 40 })),
  paymentId: Type.Optional(Type.String({ maxLength: 80 })),
});

/**
 * Paying a shop by its QR code (internet zone): /points/pay reads the code (camera, photo or
 * pasted), /points/pay/check shows the shop and the amount (typed for a static code), and
 * /points/pay pays once under the id the confirmation page carried, then shows the receipt.
 */
export function registerPointsPayPages(app: HttpApp, context: PointsRoutesContext, resident: PointsResident) {
  const ledger = context.db as Kysely<PointsLedgerTables>;
  const merchants = context.db as MerchantsDb;

  /** The signed-in resident with a MyKey ID; otherwise the reply is sent (to sign in, or to set one up). */
  async function payer(request: FastifyRequest, reply: FastifyReply) {
    const who = await pageResident(context, resident, request, reply, '/points/pay');
    if (who && !who.myKeyId) await reply.redirect('/points', 303);
    return who?.myKeyId ? (who as PageResident & { myKeyId: string }) : undefined;
  }

  const available = async (who: PageResident & { myKeyId: string }) =>
    (await balanceOf(ledger, who.scope, accountId('resident', who.myKeyId))).available;

  function scanPage(
    request: FastifyRequest,
    reply: FastifyReply,
    who: PageResident,
    qr?: string,
    error?: string,
  ) {
    const lang = pickLang(request);
    return sendPointsPage(request, reply, {
      title: t(lang, words.payTitle),
      body: scanBody(lang, { csrfToken: who.csrfToken, ...(qr ? { qr } : {}), ...(error ? { error } : {}) }),
      path: '/points/pay',
      ...(error ? { status: 422, error: true } : {}),
    });
  }

  app.get('/points/pay', async (request, reply) => {
    const who = await payer(request, reply);
    return who ? scanPage(request, reply, who) : reply;
  });

  async function confirmPage(
    request: FastifyRequest,
    reply: FastifyReply,
    who: PageResident & { myKeyId: string },
    view: Pick<ConfirmView, 'qr' | 'shopName' | 'fixedAmount'> & Partial<ConfirmView>,
  ) {
    const lang = pickLang(request);
    return sendPointsPage(request, reply, {
      title: t(lang, words.confirmTitle),
      body: confirmBody(lang, {
        csrfToken: who.csrfToken,
        paymentId: view.paymentId ?? randomUUID(),
        available: await available(who),
        ...view,
      }),
      path: '/points/pay',
      ...(view.error ? { status: 422, error: true } : {}),
    });
  }

  app.post('/points/pay/check', { schema: { body: CheckBody } }, async (request, reply) => {
    const who = await payer(request, reply);
    if (!who) return reply;
    const qr = (request.body.qr ?? '').trim();
    try {
      const { code, merchant } = await readMerchantCode(merchants, who.scope, qr);
      return confirmPage(request, reply, who, { qr, shopName: merchant.name, fixedAmount: code.amount });
    } catch (error) {
      return scanPage(request, reply, who, qr, refusalText(pickLang(request), error));
    }
  });

  app.post('/points/pay', { schema: { body: PayBody } }, async (request, reply) => {
    const who = await payer(request, reply);
    if (!who) return reply;
    const lang = pickLang(request);
    const { qr = '', paymentId = '' } = request.body;
    let scanned: Awaited<ReturnType<typeof readMerchantCode>>;
    try {
      scanned = await readMerchantCode(merchants, who.scope, qr);
    } catch (error) {
      return scanPage(request, reply, who, qr, refusalText(lang, error));
    }
    const shown = { qr, shopName: scanned.merchant.name, fixedAmount: scanned.code.amount, paymentId };
    const amount = typedPoints(request.body.amount);
    if (amount === undefined) {
      return confirmPage(request, reply, who, {
        ...shown,
        typedAmount: request.body.amount ?? '',
        error: t(lang, words.amountInvalid),
      });
    }
    try {
      const receipt = await payByQr(merchants, context, who, { qr, amount, paymentId });
      return sendPointsPage(request, reply, {
        title: t(lang, words.paidTitle),
        body: paidBody(lang, {
          shopName: receipt.merchant.name,
          amount: receipt.amount,
          ref: receipt.ref,
          paidAt: tokyoDateTime(receipt.paidAt),
          balance: await available(who),
        }),
        path: '/points/pay',
      });
    } catch (error) {
      const invalid = isMachiError(error) && error.code === 'validation-failed';
      // A malformed id can only come from a tampered form: a fresh page gets a fresh one.
      const freshId = invalid && /paymentId/.test(error.detail);
      const message = invalid && !freshId ? t(lang, words.amountInvalid) : refusalText(lang, error);
      return confirmPage(request, reply, who, {
        ...shown,
        ...(freshId ? { paymentId: randomUUID() } : {}),
        typedAmount: request.body.amount ?? '',
        error: message,
      });
    }
  });
}
