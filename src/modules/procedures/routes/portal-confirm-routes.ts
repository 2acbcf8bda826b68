import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type HttpApp, type Lang, type MachiError, pickLang, t } from '../../../core/index.ts';
import { confirmBody } from '../portal/confirm-page.ts';
import { buildDocument } from '../portal/document.ts';
import { type Draft, deleteDraft, documentToSign, loadDraft } from '../portal/drafts.ts';
import { askedAttachments, flowUrl } from '../portal/flow.ts';
import { fieldId, topKey } from '../portal/form-schema.ts';
import type { SummaryItem } from '../portal/layout.ts';
import { filingProblems, stepOf } from '../portal/step-problems.ts';
import { filingRefusals, fill, portal, signatureNeeded } from '../portal/texts.ts';
import { MAX_DOCUMENT_BYTES, MAX_SIGNATURE_BYTES } from '../submissions/signed-document.ts';
import { submitCorrection } from '../submissions/submit-correction.ts';
import { submitFiling } from '../submissions/submit-filing.ts';
import { FlowParams, FlowQuery, type OpenFlow, openFlow, openFlowPage } from './portal-flow.ts';
import {
  type PortalContext,
  type PortalResident,
  pageRefusal,
  sendPage,
  signedInResident,
} from './portal-session.ts';
import { signedBytes } from './signed-body.ts';

const base64 = (maxBytes: number) =>
  Type.String({ maxLength: Math.ceil(maxBytes / 3) * 4, pattern: '^[A-Za-z0-9+/]*={0,2}$' });
/** What the sign form posts; the password stays in the browser (its input has no name). */
const ConfirmBody = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 100 })),
  idempotencyKey: Type.String({ format: 'uuid', maxLength: 36 }),
  document: base64(MAX_DOCUMENT_BYTES),
  signature: Type.Optional(base64(MAX_SIGNATURE_BYTES)),
});

/** Everything that still stops the filing, each a link to the page and field that fixes it. */
function problemsOf(lang: Lang, open: OpenFlow, draft: Draft): SummaryItem[] {
  const { procedure, flow } = open;
  const items = filingProblems(procedure, draft.data).map((problem) => ({
    href: `${flowUrl(flow, '', stepOf(procedure, topKey(problem.path)))}#${fieldId(problem.path)}`,
    message: problem.message[lang],
  }));
  for (const attachment of askedAttachments(procedure.definition)) {
    if (attachment.required && !draft.attachments[attachment.id]) {
      items.push({
        href: `${flowUrl(flow, '/attachments')}#file-${attachment.id}`,
        message: fill(t(lang, portal.attachmentMissing), { name: t(lang, attachment.name) }),
      });
    }
  }
  return items;
}

/** A refused filing in the resident's words: the check's own Japanese where it has them. */
function refusalText(lang: Lang, error: MachiError): string {
  if (error.code === 'validation-failed') {
    const errors = (error.extensions.errors ?? []) as {
      path?: string;
      problem?: string;
      problemEn?: string;
    }[];
    if (errors.some((e) => e.path === '/signature')) return t(lang, signatureNeeded);
    const words = errors
      .map((e) => (lang === 'en' ? e.problemEn : e.problem))
      .filter(
        (text): text is string =>
          typeof text === 'string' && (lang === 'en' || /[\u3000-\u9fff\uff00-\uffef]/.test(text)),
      );
    if (words.length > 0) return words.join(' ');
  }
  const known = filingRefusals[error.code];
  return known ? t(lang, known) : error.detail;
}

/**
 * The confirmation page and the filing: GET shows everything and the bytes to sign (made once
 * per draft, with the filing's idempotency key); POST files them (or, for a correction, sends
 * them as the next version) through the module's own functions, then 303 to the receipt. The
 * same post twice is one filing: the idempotency key says so, even after the draft is gone.
 */
export function registerConfirmPages(app: HttpApp, context: PortalContext): void {
  const { submissions } = context;
  const db = submissions.database.db;

  async function show(
    request: FastifyRequest,
    reply: FastifyReply,
    resident: PortalResident,
    open: OpenFlow,
    refusal?: { text: string; status: number },
  ): Promise<FastifyReply> {
    const lang = pickLang(request);
    const now = submissions.clock.now();
    const draft = await loadDraft(db, open.key, now);
    if (!draft) return reply.redirect(flowUrl(open.flow, '', 0), 303);
    const problems = problemsOf(lang, open, draft);
    const toSign =
      problems.length === 0
        ? await documentToSign(db, open.key, now, () =>
            buildDocument({
              procedure: open.procedure,
              municipalityCode: resident.municipalityCode,
              data: draft.data,
              attachments: draft.attachments,
              filedAt: now,
            }),
          )
        : undefined;
    const { definition } = open.procedure;
    const body = confirmBody(lang, {
      definition,
      flow: open.flow,
      data: draft.data,
      attached: draft.attachments,
      problems,
      refusal: refusal?.text,
      toSign,
      csrfToken: resident.csrfToken,
      correction: open.correction,
    });
    const title = t(lang, definition.signatureRequired ? portal.stepConfirm : portal.stepConfirmNoSignature);
    return sendPage(request, reply, {
      title,
      error: problems.length > 0 || refusal !== undefined,
      body,
      status: refusal?.status ?? 200,
      path: flowUrl(open.flow, '/confirm'),
    });
  }

  app.get(
    '/procedures/:procedureId/apply/confirm',
    { schema: { params: FlowParams, querystring: FlowQuery } },
    async (request, reply) => {
      const page = await openFlowPage(context, request, reply);
      return page ? show(request, reply, page.resident, page.open) : reply;
    },
  );

  app.post(
    '/procedures/:procedureId/apply/confirm',
    { schema: { params: FlowParams, querystring: FlowQuery, body: ConfirmBody } },
    async (request, reply) => {
      const resident = await signedInResident(context, request, reply);
      if (!resident) return reply;
      const { procedureId } = request.params;
      const who = { id: resident.id, municipalityCode: resident.municipalityCode };
      const filing = {
        resident: who,
        ...signedBytes(request.body),
      };
      const correctionOf = request.query.correction;
      try {
        if (correctionOf === undefined) {
          const receipt = await submitFiling(submissions, { ...filing, procedureId });
          if (!receipt.repeated) context.hooks.onSubmitted();
          await deleteDraft(db, { municipalityCode: who.municipalityCode, resident: who.id, procedureId });
          return await reply.redirect(`/submissions/${receipt.submissionId}?done=submitted`, 303);
        }
        const result = await submitCorrection(submissions, { ...filing, submissionId: correctionOf });
        if (!result.repeated) context.hooks.onChange();
        await deleteDraft(db, {
          municipalityCode: who.municipalityCode,
          resident: who.id,
          procedureId,
          correctionOf,
        });
        return await reply.redirect(`/submissions/${correctionOf}?done=corrected`, 303);
      } catch (error) {
        const refusal = pageRefusal(error);
        const lang = pickLang(request);
        const open = await openFlow(context, request, reply, resident, procedureId, correctionOf);
        if (!open) return reply;
        return show(request, reply, resident, open, {
          text: refusalText(lang, refusal),
          status: refusal.status,
        });
      }
    },
  );
}
