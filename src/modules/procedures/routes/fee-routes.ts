import { Type } from 'typebox';
import { type HttpApp, MachiError } from '../../../core/index.ts';
import { confirmFeePayment } from '../fees/confirm-fee-payment.ts';
import type { FeeContext } from '../fees/fee-context.ts';
import type { FeeRecord } from '../fees/fee-record.ts';
import { getFee } from '../fees/fee-record.ts';
import { startFeePayment } from '../fees/start-fee-payment.ts';
import type { Filer } from './submission-routes.ts';

const SubmissionParams = Type.Object({ submissionId: Type.String({ format: 'uuid', maxLength: 36 }) });
const PaymentBody = Type.Object(
  {
    method: Type.Union([
      Type.Object(
        { kind: Type.Literal('card'), token: Type.String({ minLength: 1, maxLength: 200 }) },
        { additionalProperties: false },
      ),
      Type.Object({ kind: Type.Literal('konbini') }, { additionalProperties: false }),
      Type.Object({ kind: Type.Literal('payeasy') }, { additionalProperties: false }),
    ]),
  },
  { additionalProperties: false },
);

/** What the resident sees of their fee: never the provider's ids. */
function feeJson(fee: FeeRecord) {
  return {
    amountYen: fee.amountYen,
    state: fee.state,
    method: fee.method,
    declineCode: fee.declineCode,
    paidAt: fee.paidAt?.toISOString() ?? null,
    refundedAt: fee.refundedAt?.toISOString() ?? null,
  };
}

/**
 * Fees (手数料) of filings (internet zone): see what is owed, pay it, confirm it. A filing
 * that owes a fee goes to the back office once paid. Retried and double-clicked payments are
 * one payment (the ledger's idempotency keys).
 */
export function registerFeeRoutes(app: HttpApp, context: FeeContext, filer: Filer, onPaid: () => void): void {
  const path = '/api/v1/submissions/:submissionId/fee';
  app.get(path, { schema: { params: SubmissionParams } }, async (request) => {
    const resident = await filer(request);
    const fee = await getFee(context.database, {
      municipalityCode: resident.municipalityCode,
      submissionId: request.params.submissionId,
    });
    if (!fee || fee.payer !== resident.id)
      throw new MachiError('not-found', 'This filing of yours owes no fee.');
    return feeJson(fee);
  });

  app.post(
    `${path}/payment`,
    { schema: { params: SubmissionParams, body: PaymentBody } },
    async (request) => {
      const resident = await filer(request);
      const payment = await startFeePayment(context, {
        municipalityCode: resident.municipalityCode,
        submissionId: request.params.submissionId,
        payer: resident.id,
        method: request.body.method,
      });
      return { ...feeJson(payment.fee), instructions: payment.instructions };
    },
  );

  app.post(`${path}/confirmation`, { schema: { params: SubmissionParams } }, async (request) => {
    const resident = await filer(request);
    const payment = await confirmFeePayment(context, {
      municipalityCode: resident.municipalityCode,
      submissionId: request.params.submissionId,
      payer: resident.id,
    });
    if (payment.fee.state === 'paid') onPaid();
    return { ...feeJson(payment.fee), instructions: payment.instructions };
  });
}
