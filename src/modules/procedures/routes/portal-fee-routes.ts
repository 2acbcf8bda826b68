import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type HttpApp, isMachiError, type Lang, type MachiError, pickLang, t } from '../../../core/index.ts';
import { confirmFeePayment } from '../fees/confirm-fee-payment.ts';
import { type FeeRecord, getFee } from '../fees/fee-record.ts';
import type { PaymentInstructions, PaymentMethod } from '../fees/payment-provider.ts';
import { startFeePayment } from '../fees/start-fee-payment.ts';
import { type FeeView, feeBody } from '../portal/fee-page.ts';
import { portal } from '../portal/texts.ts';
import { CsrfBody, FilingParams, myFiling } from './portal-filing-lookup.ts';
import {
  notFoundPage,
  type PortalContext,
  type PortalResident,
  pageRefusal,
  sendPage,
  signedInResident,
} from './portal-session.ts';

const PayBody = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 100 })),
  method: Type.Union([Type.Literal('card'), Type.Literal('konbini'), Type.Literal('payeasy')]),
  cardNumber: Type.Optional(Type.String({ maxLength: 40 })),
});

/** A refused payment in the resident's words, and whether it is about the card number. */
function paymentError(lang: Lang, error: MachiError): NonNullable<FeeView['error']> {
  if (error.code === 'payment-declined') return { field: 'card-number', message: t(lang, portal.declined) };
  if (error.code === 'payment-unavailable')
    return { field: 'methods', message: t(lang, portal.paymentUnavailable) };
  return { field: 'methods', message: error.detail };
}

/**
 * Paying a filing's fee (手数料) on the portal. Card: the payment is authorised and captured at
 * once (the ledger's keys make a double click one payment). コンビニ / Pay-easy: the numbers to pay
 * with are shown until the provider reports the money in; 「支払状況を確認する」 asks it now.
 */
export function registerFeePages(app: HttpApp, context: PortalContext): void {
  const { fees } = context;

  async function owed(resident: PortalResident, submissionId: string): Promise<FeeRecord | undefined> {
    const fee = await getFee(fees.database, { municipalityCode: resident.municipalityCode, submissionId });
    return fee && fee.payer === resident.id ? fee : undefined;
  }

  async function show(
    request: FastifyRequest,
    reply: FastifyReply,
    resident: PortalResident,
    submissionId: string,
    extra: Pick<FeeView, 'error' | 'notPaidYet'> & {
      instructions?: PaymentInstructions | null;
      status?: number;
    } = {},
  ): Promise<FastifyReply> {
    const lang = pickLang(request);
    const filing = await myFiling(context, resident, submissionId);
    const fee = filing && (await owed(resident, filing.submissionId));
    if (!filing || !fee) return notFoundPage(request, reply);
    let instructions = extra.instructions ?? null;
    let current = fee;
    if (extra.instructions === undefined && fee.state === 'pending' && fee.method !== 'card') {
      // The numbers are the provider's: ask for them (and whether they have been paid).
      try {
        const payment = await confirmFeePayment(fees, {
          ...where(resident, submissionId),
          payer: resident.id,
        });
        instructions = payment.instructions;
        current = payment.fee;
        if (current.state === 'paid') context.hooks.onPaid();
      } catch (error) {
        // Unreachable now: the page still shows the fee, and the resident may ask again.
        if (!isMachiError(error) || (error.status >= 500 && error.code !== 'payment-unavailable'))
          throw error;
      }
    }
    const body = feeBody(lang, {
      submissionId: filing.submissionId,
      receiptNumber: filing.receiptNumber,
      fee: current,
      instructions,
      csrfToken: resident.csrfToken,
      error: extra.error,
      notPaidYet: extra.notPaidYet ?? false,
    });
    return sendPage(request, reply, {
      title: t(lang, portal.feeTitle),
      error: extra.error !== undefined,
      body,
      status: extra.status ?? 200,
      path: `/submissions/${filing.submissionId}/fee`,
    });
  }

  const where = (resident: PortalResident, submissionId: string) => ({
    municipalityCode: resident.municipalityCode,
    submissionId,
  });

  app.get('/submissions/:submissionId/fee', { schema: { params: FilingParams } }, async (request, reply) => {
    const resident = await signedInResident(context, request, reply);
    if (!resident) return reply;
    return show(request, reply, resident, request.params.submissionId);
  });

  app.post(
    '/submissions/:submissionId/fee',
    { schema: { params: FilingParams, body: PayBody } },
    async (request, reply) => {
      const { submissionId } = request.params;
      const resident = await signedInResident(context, request, reply, `/submissions/${submissionId}/fee`);
      if (!resident) return reply;
      const lang = pickLang(request);
      if (!(await myFiling(context, resident, submissionId))) return notFoundPage(request, reply);
      let method: PaymentMethod;
      if (request.body.method === 'card') {
        const digits = (request.body.cardNumber ?? '')
          .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
          .replace(/[\s-]/g, '');
        if (!/^\d{14,16}$/.test(digits)) {
          const error = { field: 'card-number' as const, message: t(lang, portal.cardNumberInvalid) };
          return show(request, reply, resident, submissionId, { error, status: 400 });
        }
        // The test provider's token is the number itself; a real gateway's script makes a token in the browser.
        method = { kind: 'card', token: digits };
      } else method = { kind: request.body.method };
      try {
        let payment = await startFeePayment(fees, {
          ...where(resident, submissionId),
          payer: resident.id,
          method,
        });
        if (method.kind === 'card' && payment.fee.state === 'pending')
          payment = await confirmFeePayment(fees, { ...where(resident, submissionId), payer: resident.id });
        if (payment.fee.state === 'paid') {
          context.hooks.onPaid();
          return await reply.redirect(`/submissions/${submissionId}?done=paid`, 303);
        }
        return await show(request, reply, resident, submissionId, { instructions: payment.instructions });
      } catch (error) {
        const refusal = pageRefusal(error);
        if (refusal.code === 'not-found') return notFoundPage(request, reply);
        return show(request, reply, resident, submissionId, {
          error: paymentError(lang, refusal),
          status: refusal.status,
        });
      }
    },
  );

  app.post(
    '/submissions/:submissionId/fee/confirmation',
    { schema: { params: FilingParams, body: CsrfBody } },
    async (request, reply) => {
      const { submissionId } = request.params;
      const resident = await signedInResident(context, request, reply, `/submissions/${submissionId}/fee`);
      if (!resident) return reply;
      const lang = pickLang(request);
      if (!(await owed(resident, submissionId))) return notFoundPage(request, reply);
      try {
        const payment = await confirmFeePayment(fees, {
          ...where(resident, submissionId),
          payer: resident.id,
        });
        if (payment.fee.state === 'paid') {
          context.hooks.onPaid();
          return await reply.redirect(`/submissions/${submissionId}?done=paid`, 303);
        }
        return await show(request, reply, resident, submissionId, {
          instructions: payment.instructions,
          notPaidYet: true,
        });
      } catch (error) {
        const refusal = pageRefusal(error);
        return show(request, reply, resident, submissionId, {
          error: paymentError(lang, refusal),
          status: refusal.status,
        });
      }
    },
  );
}
