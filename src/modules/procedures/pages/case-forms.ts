import { html, type Lang, type SafeHtml, type Text, t } from '../../../core/index.ts';
import type { CaseStatus } from '../cases/case-status.ts';
import { topLevelItems } from './form-data.ts';
import { type FieldId, labels } from './texts.ts';

/** What the clerk typed into a form that was refused, given back so nothing is lost. */
export interface FormValues {
  readonly comment?: string | undefined;
  readonly message?: string | undefined;
  readonly fields?: readonly string[] | undefined;
  readonly approveNote?: string | undefined;
  readonly reasons?: string | undefined;
}

export interface CaseForms {
  readonly csrfToken: string;
  readonly caseWorkers: readonly { readonly staffId: string; readonly displayName: string }[];
  readonly values?: FormValues | undefined;
  readonly fieldErrors?: Partial<Record<FieldId, string>> | undefined;
}

interface FormsInput extends CaseForms {
  readonly view: { readonly receiptNumber: string; readonly assignedTo: string | null };
  readonly schema: unknown;
  readonly me: string;
}

/** Which steps the status allows (mirrors case-status.ts, so no button leads to a conflict). */
const allowed: Record<'review' | 'correction' | 'approve' | 'reject' | 'assign', readonly CaseStatus[]> = {
  review: ['received'],
  correction: ['received', 'in-review'],
  approve: ['received', 'in-review'],
  reject: ['received', 'in-review', 'correction-requested'],
  assign: ['received', 'in-review', 'correction-requested'],
};

function form(lang: Lang, input: FormsInput, path: string, inner: SafeHtml): SafeHtml {
  const action = `/cases/${input.view.receiptNumber}/${path}${lang === 'en' ? '?lang=en' : ''}`;
  return html`<form method="post" action="${action}" class="form" novalidate>
  <input type="hidden" name="_csrf" value="${input.csrfToken}">
  ${inner}
</form>`;
}

/** A labelled textarea with its hint and, when refused, its error (tied by aria-describedby). */
function textarea(
  lang: Lang,
  input: FormsInput,
  spec: {
    id: FieldId | 'approve-note';
    name: string;
    label: Text;
    hint?: Text;
    value?: string;
    required?: boolean;
  },
): SafeHtml {
  const error = spec.id === 'approve-note' ? undefined : input.fieldErrors?.[spec.id];
  const describedBy = [spec.hint ? `${spec.id}-hint` : '', error ? `${spec.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return html`<div class="field">
  <label for="${spec.id}">${t(lang, spec.label)}</label>
  ${spec.hint ? html`<p class="hint" id="${spec.id}-hint">${t(lang, spec.hint)}</p>` : ''}
  ${error ? html`<p class="field-error" id="${spec.id}-error">${error}</p>` : ''}
  <textarea id="${spec.id}" name="${spec.name}" rows="4" maxlength="4000"${
    describedBy ? html` aria-describedby="${describedBy}"` : ''
  }${error ? html` aria-invalid="true"` : ''}${spec.required ? html` required` : ''}>${spec.value ?? ''}</textarea>
</div>`;
}

function assignment(lang: Lang, input: FormsInput): SafeHtml {
  const chosen = input.view.assignedTo ?? input.me;
  const error = input.fieldErrors?.['assign-staff'];
  return html`<section aria-labelledby="assign-heading">
<h3 id="assign-heading">${t(lang, labels.assign)}</h3>
${form(
  lang,
  input,
  'assignment',
  html`<div class="field">
    <label for="assign-staff">${t(lang, labels.assignTo)}</label>
    ${error ? html`<p class="field-error" id="assign-staff-error">${error}</p>` : ''}
    <select id="assign-staff" name="staffId"${error ? html` aria-invalid="true" aria-describedby="assign-staff-error"` : ''}>${input.caseWorkers.map(
      (s) =>
        html`<option value="${s.staffId}"${s.staffId === chosen ? html` selected` : ''}>${s.displayName}${
          s.staffId === input.me ? t(lang, labels.you) : ''
        }</option>`,
    )}</select>
  </div>
  <button type="submit" class="button">${t(lang, labels.assignSubmit)}</button>`,
)}
${
  input.view.assignedTo
    ? form(
        lang,
        input,
        'assignment',
        html`<input type="hidden" name="staffId" value=""><button type="submit" class="button button--secondary">${t(lang, labels.unassign)}</button>`,
      )
    : ''
}
</section>`;
}

function correction(lang: Lang, input: FormsInput): SafeHtml {
  const items = topLevelItems(lang, input.schema);
  const picked = new Set(input.values?.fields ?? []);
  const error = input.fieldErrors?.['correction-fields'];
  return html`<section aria-labelledby="correction-heading">
<h3 id="correction-heading">${t(lang, labels.correction)}</h3>
${form(
  lang,
  input,
  'correction-request',
  html`${textarea(lang, input, {
    id: 'correction-message',
    name: 'message',
    label: labels.correctionMessage,
    hint: labels.correctionHint,
    value: input.values?.message,
    required: true,
  })}
  <fieldset class="field" id="correction-fields"${error ? html` aria-describedby="correction-fields-error"` : ''}>
    <legend>${t(lang, labels.correctionFields)}</legend>
    ${error ? html`<p class="field-error" id="correction-fields-error">${error}</p>` : ''}
    ${items.map(
      (item) =>
        html`<div class="choice"><label><input type="checkbox" name="fields" value="${item.key}"${
          picked.has(item.key) ? html` checked` : ''
        }> ${item.title}</label></div>`,
    )}
  </fieldset>
  <button type="submit" class="button">${t(lang, labels.correctionSubmit)}</button>`,
)}
</section>`;
}

function decision(lang: Lang, input: FormsInput, status: CaseStatus): SafeHtml {
  return html`${
    allowed.approve.includes(status)
      ? html`<section aria-labelledby="approve-heading">
<h3 id="approve-heading">${t(lang, labels.approve)}</h3>
${form(
  lang,
  input,
  'decision',
  html`<input type="hidden" name="outcome" value="approved">
  ${textarea(lang, input, { id: 'approve-note', name: 'reasons', label: labels.approveNote, value: input.values?.approveNote })}
  <button type="submit" class="button">${t(lang, labels.approveSubmit)}</button>`,
)}
</section>`
      : ''
  }
<section aria-labelledby="reject-heading">
<h3 id="reject-heading">${t(lang, labels.reject)}</h3>
${form(
  lang,
  input,
  'decision',
  html`<input type="hidden" name="outcome" value="rejected">
  ${textarea(lang, input, {
    id: 'reject-reasons',
    name: 'reasons',
    label: labels.rejectReasons,
    hint: labels.rejectHint,
    value: input.values?.reasons,
    required: true,
  })}
  <button type="submit" class="button button--danger">${t(lang, labels.rejectSubmit)}</button>`,
)}
</section>`;
}

/** The clerk's steps the case's status allows, each a plain form (works without JavaScript). */
export function caseForms(lang: Lang, status: CaseStatus, input: FormsInput): SafeHtml {
  const can = (step: keyof typeof allowed) => allowed[step].includes(status);
  return html`<section aria-labelledby="actions-heading" id="actions">
<h2 id="actions-heading">${t(lang, labels.actions)}</h2>
${can('assign') ? assignment(lang, input) : html`<p>${t(lang, labels.closedCase)}</p>`}
${
  can('review')
    ? html`<section aria-labelledby="review-heading">
<h3 id="review-heading">${t(lang, labels.review)}</h3>
<p class="hint">${t(lang, labels.reviewHint)}</p>
${form(lang, input, 'review', html`<button type="submit" class="button">${t(lang, labels.reviewSubmit)}</button>`)}
</section>`
    : ''
}
${can('correction') ? correction(lang, input) : ''}
${can('reject') ? decision(lang, input, status) : ''}
<section aria-labelledby="comment-heading">
<h3 id="comment-heading">${t(lang, labels.comment)}</h3>
${form(
  lang,
  input,
  'comments',
  html`${textarea(lang, input, {
    id: 'comment-text',
    name: 'text',
    label: labels.comment,
    hint: labels.commentHint,
    value: input.values?.comment,
    required: true,
  })}
  <button type="submit" class="button button--secondary">${t(lang, labels.commentSubmit)}</button>`,
)}
</section>
</section>`;
}
