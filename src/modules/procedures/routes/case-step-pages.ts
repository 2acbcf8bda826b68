import { type Static, type TObject, Type } from 'typebox';
import { type HttpApp, isMachiError, type Lang, type MachiError, pickLang, t } from '../../../core/index.ts';
import { currentStaff, type StaffPrincipal } from '../../identity/index.ts';
import {
  assignCase,
  type CaseContext,
  commentOnCase,
  decideCase,
  requestCorrection,
  startReview,
} from '../cases/staff-steps.ts';
import type { FormValues } from '../pages/case-forms.ts';
import { type DoneKey, type FieldId, fieldMessages, refusals } from '../pages/texts.ts';
import { CaseParams, type CaseRenderer, type CaseState, RECEIPT, worker } from './case-page-render.ts';

const csrf = { _csrf: Type.Optional(Type.String({ maxLength: 100 })) };
// Form bodies are lenient (empty fields pass) so that a missing reason is said on the page, not as JSON.
const formText = Type.Optional(Type.String({ maxLength: 4000 }));

/** What a refused step hands back to the page: the clerk's input and the field a validation error is about. */
interface Refusal {
  readonly values?: FormValues;
  readonly field?: FieldId;
}

/** A field the page checks before the step runs (the step's own checks answer in English for the API). */
class FieldProblem extends Error {
  constructor(readonly field: FieldId) {
    super(`The field ${field} needs a value.`);
  }
}

function atField(lang: Lang, field: FieldId): Pick<CaseState, 'errors' | 'fieldErrors'> {
  const message = t(lang, fieldMessages[field]);
  return { errors: [{ field, message }], fieldErrors: { [field]: message } };
}

/** A refused step in the clerk's words: a validation error at its field, anything else for the page. */
function explain(
  lang: Lang,
  error: MachiError,
  field: FieldId | undefined,
): Pick<CaseState, 'errors' | 'fieldErrors'> {
  if (error.code === 'validation-failed' && field) return atField(lang, field);
  const known = refusals[error.code];
  return { errors: [{ field: 'actions-heading', message: known ? t(lang, known) : error.detail }] };
}

/**
 * The clerk's steps as forms: POST /cases/:receiptNumber/<step>, CSRF-checked by `worker`.
 * Done, each redirects (303) to the case with what it did (`?done=`); refused, the case is
 * shown again with why and the clerk's input, under the refusal's status (400, 404, 409).
 */
export function registerCaseStepPages(app: HttpApp, context: CaseContext, render: CaseRenderer): void {
  function step<B extends TObject>(
    path: string,
    body: B,
    act: (staff: StaffPrincipal, receiptNumber: string, body: Static<B>) => Promise<DoneKey>,
    refusal: (body: Static<B>) => Refusal,
  ) {
    app.post(
      `/cases/:receiptNumber/${path}`,
      { preValidation: worker, schema: { params: CaseParams, body } },
      async (request, reply) => {
        const lang = pickLang(request);
        const { receiptNumber } = request.params;
        const input = request.body as Static<B>;
        if (!RECEIPT.test(receiptNumber)) return render.notFound(request, reply, receiptNumber);
        try {
          const done = await act(currentStaff(request), receiptNumber, input);
          const query = new URLSearchParams({ done, ...(lang === 'en' ? { lang } : {}) });
          return await reply.redirect(`/cases/${receiptNumber}?${query}`, 303);
        } catch (error) {
          const { values, field } = refusal(input);
          if (error instanceof FieldProblem) {
            return render.showCase(
              request,
              reply,
              receiptNumber,
              { values, ...atField(lang, error.field) },
              400,
            );
          }
          if (!isMachiError(error) || error.status >= 500) throw error;
          if (error.code === 'not-found') return render.notFound(request, reply, receiptNumber);
          const explained = explain(lang, error, field);
          return render.showCase(request, reply, receiptNumber, { values, ...explained }, error.status);
        }
      },
    );
  }

  step(
    'assignment',
    Type.Object({ staffId: Type.Optional(Type.String({ maxLength: 40 })), ...csrf }),
    async (staff, receipt, body) => {
      const assignee = body.staffId?.trim() || null;
      await assignCase(context, staff, receipt, assignee);
      return assignee ? 'assigned' : 'unassigned';
    },
    () => ({ field: 'assign-staff' }),
  );
  step(
    'comments',
    Type.Object({ text: formText, ...csrf }),
    async (staff, receipt, body) => {
      const text = body.text?.trim();
      if (!text) throw new FieldProblem('comment-text');
      await commentOnCase(context, staff, receipt, text);
      return 'commented';
    },
    (body) => ({ values: { comment: body.text } }),
  );
  step(
    'review',
    Type.Object({ ...csrf }),
    async (staff, receipt) => {
      await startReview(context, staff, receipt);
      return 'review-started';
    },
    () => ({}),
  );
  step(
    'correction-request',
    Type.Object({
      message: formText,
      fields: Type.Optional(Type.Array(Type.String({ maxLength: 80 }), { maxItems: 100 })),
      ...csrf,
    }),
    async (staff, receipt, body) => {
      const message = body.message?.trim();
      if (!message) throw new FieldProblem('correction-message');
      await requestCorrection(context, staff, receipt, { message, fields: body.fields ?? [] });
      return 'correction-requested';
    },
    (body) => ({ values: { message: body.message, fields: body.fields }, field: 'correction-fields' }),
  );
  step(
    'decision',
    Type.Object({
      outcome: Type.Union([Type.Literal('approved'), Type.Literal('rejected')]),
      reasons: formText,
      ...csrf,
    }),
    async (staff, receipt, body) => {
      const reasons = body.reasons?.trim() ?? '';
      // 行政手続法第8条: a refusal states its reasons; an approval may add a word or not.
      if (body.outcome === 'rejected' && !reasons) throw new FieldProblem('reject-reasons');
      await decideCase(context, staff, receipt, { outcome: body.outcome, reasons });
      return body.outcome;
    },
    (body) =>
      body.outcome === 'rejected'
        ? { values: { reasons: body.reasons }, field: 'reject-reasons' }
        : { values: { approveNote: body.reasons } },
  );
}
