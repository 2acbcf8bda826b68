import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type HttpApp, isMachiError, pickLang, t } from '../../../core/index.ts';
import { getFee } from '../fees/fee-record.ts';
import { currentDocument } from '../portal/current-filing.ts';
import { type DraftAttachment, loadDraft, saveDraft } from '../portal/drafts.ts';
import { filingBody, filingsBody, inboxBody } from '../portal/filing-pages.ts';
import { flowUrl } from '../portal/flow.ts';
import { stepOf } from '../portal/step-problems.ts';
import { filingRefusals, portal } from '../portal/texts.ts';
import { myFilings, myInbox } from '../submissions/my-filings.ts';
import { requestWithdrawal } from '../submissions/submit-correction.ts';
import { CsrfBody, FilingParams, myFiling } from './portal-filing-lookup.ts';
import {
  notFoundPage,
  type PortalContext,
  type PortalResident,
  sendPage,
  signedInResident,
} from './portal-session.ts';

const FilingQuery = Type.Object({
  done: Type.Optional(Type.String({ maxLength: 20 })),
  lang: Type.Optional(Type.String({ maxLength: 5 })),
});

/**
 * The resident's filings (internet zone): the list, one filing with its receipt number and
 * next step, withdrawing (取下げ), starting a correction (補正) from the filing as it stands,
 * the fee (portal-fee-routes.ts) and the inbox (お知らせ) with the signed notices.
 */
export function registerFilingPages(app: HttpApp, context: PortalContext): void {
  const { submissions } = context;
  const db = submissions.database.db;
  const catalogue = new Map([...submissions.catalogue].map(([id, p]) => [id, p.definition]));

  async function showFiling(
    request: FastifyRequest,
    reply: FastifyReply,
    resident: PortalResident,
    submissionId: string,
    extra: { done?: string | undefined; refusal?: string; status?: number } = {},
  ): Promise<FastifyReply> {
    const lang = pickLang(request);
    const filing = await myFiling(context, resident, submissionId);
    if (!filing) return notFoundPage(request, reply);
    const fee = await getFee(submissions.database, {
      municipalityCode: resident.municipalityCode,
      submissionId: filing.submissionId,
    });
    const body = filingBody(lang, {
      filing,
      definition: catalogue.get(filing.procedureId),
      fee: fee && fee.payer === resident.id ? fee : undefined,
      csrfToken: resident.csrfToken,
      done: extra.done,
      refusal: extra.refusal,
    });
    return sendPage(request, reply, {
      title: t(lang, extra.done === 'submitted' ? portal.receiptTitle : portal.filing),
      body,
      status: extra.status ?? 200,
      path: `/submissions/${filing.submissionId}`,
    });
  }

  app.get('/submissions', { schema: { querystring: FilingQuery } }, async (request, reply) => {
    const resident = await signedInResident(context, request, reply);
    if (!resident) return reply;
    const lang = pickLang(request);
    const filings = await myFilings(db, { id: resident.id, municipalityCode: resident.municipalityCode });
    return sendPage(request, reply, {
      title: t(lang, portal.filings),
      body: filingsBody(lang, filings, catalogue),
    });
  });

  app.get(
    '/submissions/:submissionId',
    { schema: { params: FilingParams, querystring: FilingQuery } },
    async (request, reply) => {
      const resident = await signedInResident(context, request, reply);
      if (!resident) return reply;
      return showFiling(request, reply, resident, request.params.submissionId, { done: request.query.done });
    },
  );

  app.post(
    '/submissions/:submissionId/withdrawal',
    { schema: { params: FilingParams, body: CsrfBody } },
    async (request, reply) => {
      const { submissionId } = request.params;
      const resident = await signedInResident(context, request, reply, `/submissions/${submissionId}`);
      if (!resident) return reply;
      if (!(await myFiling(context, resident, submissionId))) return notFoundPage(request, reply);
      const who = { id: resident.id, municipalityCode: resident.municipalityCode };
      try {
        const { withdrawnHere } = await requestWithdrawal(submissions, who, submissionId);
        if (withdrawnHere) {
          await context.hooks.onWithdrawnHere({
            municipalityCode: who.municipalityCode,
            submissionId,
            actor: who.id,
          });
        } else context.hooks.onChange();
      } catch (error) {
        if (!isMachiError(error) || error.code !== 'conflict') throw error;
        const lang = pickLang(request);
        return showFiling(request, reply, resident, submissionId, {
          refusal: t(lang, filingRefusals.conflict!),
          status: 409,
        });
      }
      return reply.redirect(`/submissions/${submissionId}?done=withdrawn`, 303);
    },
  );

  app.post(
    '/submissions/:submissionId/correction',
    { schema: { params: FilingParams, body: CsrfBody } },
    async (request, reply) => {
      const { submissionId } = request.params;
      const resident = await signedInResident(context, request, reply, `/submissions/${submissionId}`);
      if (!resident) return reply;
      const filing = await myFiling(context, resident, submissionId);
      if (!filing) return notFoundPage(request, reply);
      if (filing.status !== 'correction-requested')
        return reply.redirect(`/submissions/${filing.submissionId}`, 303);
      const procedure = submissions.catalogue.get(filing.procedureId);
      if (!procedure) return notFoundPage(request, reply);
      const flow = { procedureId: filing.procedureId, correctionOf: filing.submissionId };
      const key = { municipalityCode: resident.municipalityCode, resident: resident.id, ...flow };
      const now = submissions.clock.now();
      // A correction starts from the filing as it stands (its latest version), once; after that the draft is resumed.
      if (!(await loadDraft(db, key, now))) {
        const who = { id: resident.id, municipalityCode: resident.municipalityCode };
        const current = await currentDocument(db, who, filing.submissionId);
        if (!current) return notFoundPage(request, reply);
        const attachments: Record<string, DraftAttachment> = {};
        for (const a of current.attachments)
          attachments[a.id] = {
            uploadId: a.uploadId,
            sha256: a.sha256,
            mediaType: '',
            bytes: 0,
            fileName: '',
            removed: [],
          };
        await saveDraft(db, key, { data: current.data, attachments }, now);
      }
      const first = filing.fields[0];
      return reply.redirect(flowUrl(flow, '', first ? stepOf(procedure, first) : 0), 303);
    },
  );

  app.get('/inbox', { schema: { querystring: FilingQuery } }, async (request, reply) => {
    const resident = await signedInResident(context, request, reply);
    if (!resident) return reply;
    const lang = pickLang(request);
    const entries = await myInbox(db, { id: resident.id, municipalityCode: resident.municipalityCode });
    return sendPage(request, reply, { title: t(lang, portal.inbox), body: inboxBody(lang, entries) });
  });
}
