import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { HttpApp, LgCode } from '../../../core/index.ts';
import type { SubmissionContext } from '../submissions/submission-context.ts';
import { submitFiling } from '../submissions/submit-filing.ts';
import { SignedBody, signedBytes } from './signed-body.ts';

/** Who is filing: the zone decides (the internet zone: a resident signed in with the card). */
export type Filer = (request: FastifyRequest) => Promise<{ id: string; municipalityCode: LgCode }>;

const ReceiptSchema = Type.Object({
  submissionId: Type.String(),
  receiptNumber: Type.String(),
  submittedAt: Type.String(),
});

/**
 * Filing (internet zone): 201 with the receipt number for a new filing, 200 with the same
 * receipt for the same filing sent again; problem+json naming every item at fault otherwise.
 */
export function registerSubmissionRoutes(
  app: HttpApp,
  context: SubmissionContext,
  options: { filer: Filer; onSubmitted: () => void },
): void {
  app.post(
    '/api/v1/procedures/:procedureId/submissions',
    {
      schema: {
        params: Type.Object({ procedureId: Type.String({ maxLength: 80, pattern: '^[a-z0-9-]+$' }) }),
        body: SignedBody,
        response: { 200: ReceiptSchema, 201: ReceiptSchema },
      },
    },
    async (request, reply) => {
      const resident = await options.filer(request);
      const receipt = await submitFiling(context, {
        procedureId: request.params.procedureId,
        resident,
        ...signedBytes(request.body),
      });
      if (!receipt.repeated) options.onSubmitted();
      return reply.status(receipt.repeated ? 200 : 201).send({
        submissionId: receipt.submissionId,
        receiptNumber: receipt.receiptNumber,
        submittedAt: receipt.submittedAt.toISOString(),
      });
    },
  );
}
