import { Type } from 'typebox';
import { type HttpApp, type LgCode, MachiError } from '../../../core/index.ts';
import { myFilings, myInbox, myNotice } from '../submissions/my-filings.ts';
import type { SubmissionContext } from '../submissions/submission-context.ts';
import { requestWithdrawal, submitCorrection } from '../submissions/submit-correction.ts';
import { SignedBody, signedBytes } from './signed-body.ts';
import type { Filer } from './submission-routes.ts';

const SubmissionParams = Type.Object({ submissionId: Type.String({ format: 'uuid', maxLength: 36 }) });

export interface MyFilingHooks {
  /** A correction or withdrawal to send inward now. */
  readonly onChange: () => void;
  /** A filing withdrawn before it went inward: its fee, if any, is cancelled or paid back. */
  readonly onWithdrawnHere: (where: {
    municipalityCode: LgCode;
    submissionId: string;
    actor: string;
  }) => Promise<unknown>;
}

/**
 * The resident's side after filing (internet zone): their filings and where each stands,
 * answering a request for correction, withdrawing, and the inbox with signed notices.
 */
export function registerMyFilingRoutes(
  app: HttpApp,
  context: SubmissionContext,
  filer: Filer,
  hooks: MyFilingHooks,
): void {
  app.get('/api/v1/submissions', async (request) => ({
    submissions: await myFilings(context.database.db, await filer(request)),
  }));

  app.get('/api/v1/submissions/:submissionId', { schema: { params: SubmissionParams } }, async (request) => {
    const [filing] = await myFilings(context.database.db, await filer(request), request.params.submissionId);
    if (!filing) throw new MachiError('not-found', 'No such filing of yours.');
    return filing;
  });

  app.post(
    '/api/v1/submissions/:submissionId/corrections',
    { schema: { params: SubmissionParams, body: SignedBody } },
    async (request, reply) => {
      const resident = await filer(request);
      const result = await submitCorrection(context, {
        submissionId: request.params.submissionId,
        resident,
        ...signedBytes(request.body),
      });
      if (!result.repeated) hooks.onChange();
      return reply.status(result.repeated ? 200 : 201).send({ version: result.version });
    },
  );

  app.post(
    '/api/v1/submissions/:submissionId/withdrawal',
    { schema: { params: SubmissionParams } },
    async (request, reply) => {
      const resident = await filer(request);
      const { withdrawnHere } = await requestWithdrawal(context, resident, request.params.submissionId);
      if (withdrawnHere) {
        await hooks.onWithdrawnHere({
          municipalityCode: resident.municipalityCode,
          submissionId: request.params.submissionId,
          actor: resident.id,
        });
      } else hooks.onChange();
      return reply.status(202).send({ withdrawn: withdrawnHere });
    },
  );

  app.get('/api/v1/inbox', async (request) => ({
    entries: await myInbox(context.database.db, await filer(request)),
  }));

  app.get(
    '/api/v1/notices/:noticeId',
    { schema: { params: Type.Object({ noticeId: Type.String({ format: 'uuid', maxLength: 36 }) }) } },
    async (request, reply) => {
      const notice = await myNotice(
        context.database.db,
        await filer(request),
        request.params.noticeId,
        context.clock.now(),
      );
      if (!notice) throw new MachiError('not-found', 'No such notice of yours.');
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="notice-${request.params.noticeId}.pdf"`)
        .send(Buffer.from(notice.pdf));
    },
  );
}
