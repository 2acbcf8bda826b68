import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import {
  fill,
  type HttpApp,
  isMachiError,
  type Lang,
  pickLang,
  type TenantScope,
  t,
} from '../../../core/index.ts';
import { accountId, balanceOf } from '../ledger/accounts.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';
import type { MerchantsDb } from '../merchants/merchants.ts';
import { paymentCodeBody } from '../pages/code-page.ts';
import { merchantWords, words } from '../pages/texts.ts';
import { issuePaymentCode, payByCode } from '../payments/one-time-codes.ts';
import { MAX_PAYMENT } from '../payments/pay-by-qr.ts';
import { pageResident, refusalText, sendPointsPage, typedPoints } from './page-support.ts';
import type { PointsResident, PointsRoutesContext } from './resident-routes.ts';

const csrf = { _csrf: Type.Optional(Type.String({ maxLength: 100 })) };
const CsrfBody = Type.Object(csrf);
export const ChargeForm = Type.Object({
  ...csrf,
  code: Type.Optional(Type.String({ maxLength: 100 })),
  amount: Type.Optional(Type.String({ maxLength: 40 })),
  chargeId: Type.Optional(Type.String({ maxLength: 80 })),
});

/**
 * The resident's code page (internet zone): /points/code shows a fresh one-time code to pay at
 * a till, and its button (POST, with the session's form token) shows another. Opening the page
 * makes the code: it is what the resident opens at the till, and a code made but never shown
 * pays nothing and is gone in five minutes. No cache keeps the page.
 */
export function registerPointsCodePages(
  app: HttpApp,
  context: PointsRoutesContext,
  resident: PointsResident,
) {
  const ledger = context.db as Kysely<PointsLedgerTables>;

  async function codePage(request: FastifyRequest, reply: FastifyReply) {
    const who = await pageResident(context, resident, request, reply, '/points/code');
    if (!who) return reply;
    if (!who.myKeyId) return reply.redirect('/points', 303);
    const lang = pickLang(request);
    const payer = { scope: who.scope, myKeyId: who.myKeyId };
    const made = await issuePaymentCode(ledger, context, payer);
    const { available } = await balanceOf(ledger, who.scope, accountId('resident', who.myKeyId));
    reply.header('cache-control', 'no-store');
    return sendPointsPage(request, reply, {
      title: t(lang, words.payCodeTitle),
      body: paymentCodeBody(lang, { csrfToken: who.csrfToken, ...made, available }),
      path: '/points/code',
    });
  }

  app.get('/points/code', codePage);
  app.post('/points/code', { schema: { body: CsrfBody } }, codePage);
}

type ChargeField = '#customer-code' | '#code-amount';

/** Why the tablet's charge was refused, in the shop's words, and the field it is about. */
function chargeRefusal(lang: Lang, error: unknown): { message: string; at: ChargeField } {
  const w = merchantWords;
  const code = isMachiError(error) ? error.code : undefined;
  if (code === 'points-insufficient') return { message: t(lang, w.customerInsufficient), at: '#code-amount' };
  if (code === 'qr-invalid') return { message: t(lang, w.customerCodeMistyped), at: '#customer-code' };
  if (code === 'not-found') return { message: t(lang, w.customerCodeUnknown), at: '#customer-code' };
  if (code === 'merchant-unknown') return { message: t(lang, w.shopSuspended), at: '#customer-code' };
  if (code === 'conflict') {
    // A charge id already used for another code: the form was sent again from an old page.
    const stale = isMachiError(error) && error.detail.startsWith('chargeId');
    return { message: t(lang, stale ? w.formStale : w.customerCodeSpent), at: '#customer-code' };
  }
  return { message: refusalText(lang, error), at: '#customer-code' };
}

/**
 * The tablet charges a customer's code (POST /merchant/charges, its form token checked by the
 * caller): what the dashboard then says — done, or the refusal beside its field with what was
 * typed, so the shop can correct the amount and send the same code again.
 */
export async function chargeOnTablet(
  context: PointsRoutesContext,
  terminal: { readonly scope: TenantScope; readonly merchantId: string; readonly keyId: string },
  form: { code?: string | undefined; amount?: string | undefined; chargeId?: string | undefined },
  lang: Lang,
): Promise<{
  done?: string;
  error?: string;
  errorAt?: ChargeField;
  typedCharge?: { code: string; amount: string };
  status?: number;
}> {
  const typedCharge = { code: form.code ?? '', amount: form.amount ?? '' };
  const refused = (refusal: { message: string; at: ChargeField }) => ({
    error: refusal.message,
    errorAt: refusal.at,
    typedCharge,
    status: 422,
  });
  const amount = typedPoints(form.amount);
  if (amount === undefined || amount > MAX_PAYMENT) {
    return refused({ message: t(lang, words.amountInvalid), at: '#code-amount' });
  }
  try {
    const receipt = await payByCode(context.db as MerchantsDb, context, terminal, {
      code: typedCharge.code,
      amount,
      chargeId: form.chargeId ?? '',
    });
    const n = receipt.amount.toLocaleString('ja-JP');
    return { done: fill(t(lang, merchantWords.chargeDone), { n, ref: receipt.ref }) };
  } catch (error) {
    return refused(chargeRefusal(lang, error));
  }
}
