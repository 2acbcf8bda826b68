import { html, type Lang, type SafeHtml, t } from '../../../core/index.ts';
import { cardSignFormAttributes, cardSignScript } from '../../jpki/index.ts';
import type { ProcedureDefinition } from '../catalogue/definition.ts';
import { dayText } from '../pages/format.ts';
import type { DraftAttachment } from './drafts.ts';
import { enumLabel } from './enum-labels.ts';
import { askedAttachments, type Flow, flowSteps, flowUrl } from './flow.ts';
import { type FormData, type FormNode, isPlain, titleOf } from './form-schema.ts';
import { csrfField, errorSummary, type SummaryItem, yen } from './layout.ts';
import { type CorrectionAsked, correctionBanner, progress } from './step-page.ts';
import { fill, portal } from './texts.ts';

function leaf(lang: Lang, node: FormNode | undefined, value: unknown): string {
  if (typeof value === 'boolean') return t(lang, value ? portal.yes : portal.no);
  if (node?.enum) return enumLabel(lang, node.title, value);
  if (node?.items?.enum) return enumLabel(lang, node.items.title ?? node.title, value);
  if (typeof value === 'string' && node?.format === 'date') return dayText(lang, value);
  return String(value);
}

/** A value as the resident entered it: a list per group, a numbered list per array, words for choices. */
function review(lang: Lang, node: FormNode | undefined, value: unknown): SafeHtml {
  if (value === undefined || value === null) return html`${t(lang, portal.absent)}`;
  if (isPlain(value)) {
    const keys = Object.keys(node?.properties ?? {}).filter((key) => key in value);
    if (keys.length === 0) return html`${t(lang, portal.absent)}`;
    return html`<dl class="form-data">${keys.map(
      (key) =>
        html`<dt>${titleOf(lang, node?.properties?.[key], key)}</dt><dd>${review(lang, node?.properties?.[key], value[key])}</dd>`,
    )}</dl>`;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return html`${t(lang, portal.absent)}`;
    if (node?.items?.enum)
      return html`${value.map((v) => leaf(lang, node, v)).join(lang === 'ja' ? '、' : ', ')}`;
    return html`<ol class="form-data__list">${value.map((item) => html`<li>${review(lang, node?.items, item)}</li>`)}</ol>`;
  }
  return html`${leaf(lang, node, value)}`;
}

export interface ConfirmView {
  readonly definition: ProcedureDefinition;
  readonly flow: Flow;
  readonly data: FormData;
  readonly attached: Readonly<Record<string, DraftAttachment>>;
  /** What still stops the filing (items and attachments), each linking to its page. */
  readonly problems: readonly SummaryItem[];
  /** Why the last attempt was refused (signature, certificate, conflict). */
  readonly refusal?: string | undefined;
  /** The exact bytes to sign and the filing's key; absent while problems remain. */
  readonly toSign?: { readonly document: Uint8Array; readonly idempotencyKey: string } | undefined;
  readonly csrfToken: string;
  readonly correction?: CorrectionAsked | undefined;
}

/**
 * The card's sign form (browser-sign.js finds the password by its id). The password input has
 * no name, so a browser without script, posting the form as it is, never sends the password.
 */
function signForm(lang: Lang, view: ConfirmView, toSign: NonNullable<ConfirmView['toSign']>): SafeHtml {
  const action = flowUrl(view.flow, '/confirm');
  const hidden = html`${csrfField(view.csrfToken)}
<input type="hidden" name="idempotencyKey" value="${toSign.idempotencyKey}">
<input type="hidden" name="document" value="${Buffer.from(toSign.document).toString('base64')}">`;
  if (!view.definition.signatureRequired) {
    return html`<form method="post" action="${action}" class="form" id="confirm-form">
${hidden}
<div class="actions"><button type="submit">${t(lang, portal.sendWithoutSignature)}</button></div>
</form>`;
  }
  const submit = view.flow.correctionOf ? portal.signCorrection : portal.sign;
  return html`<section aria-labelledby="sign-heading">
<h2 id="sign-heading">${t(lang, portal.signHeading)}</h2>
<p>${t(lang, portal.signLead)}</p>
<noscript><p class="notice notice--warning">${t(lang, portal.needsScript)}</p></noscript>
<p id="signature-status" class="hint" role="alert" tabindex="-1" hidden></p>
<form method="post" action="${action}" class="form" novalidate${cardSignFormAttributes(lang)}>
${hidden}
<input type="hidden" name="signature">
<div class="field">
<label for="password">${t(lang, portal.password)}</label>
<p class="hint" id="password-hint">${t(lang, portal.passwordHint)}</p>
<input type="password" id="password" maxlength="16" autocomplete="off" autocapitalize="characters" aria-describedby="password-hint" required>
</div>
<p class="hint">${t(lang, portal.documentNote)}</p>
<div class="actions"><button type="submit">${t(lang, submit)}</button></div>
</form>
</section>
${cardSignScript}`;
}

/** Where the refusal's link goes: the password to type again, or the form to send again. */
function refusalTarget(view: ConfirmView): string {
  if (!view.toSign) return '#main';
  return view.definition.signatureRequired ? '#password' : '#confirm-form';
}

/**
 * The confirmation page: everything entered, step by step with a way back to each, the
 * attachments, the fee; then the card's signature over exactly the bytes in the hidden
 * `document` field (browser-sign.js), or, while anything is missing, what to fix first.
 */
export function confirmBody(lang: Lang, view: ConfirmView): SafeHtml {
  const { definition, flow } = view;
  const steps = flowSteps(definition, flow);
  const schema = definition.schema as FormNode;
  const asked = askedAttachments(definition);
  const summary = errorSummary(lang, [
    ...(view.refusal ? [{ href: refusalTarget(view), message: view.refusal }] : []),
    ...view.problems,
  ]);
  return html`${progress(lang, steps, steps.length - 1)}
${correctionBanner(lang, view.correction, schema)}
${summary}
<p>${t(lang, portal.confirmLead)}</p>
<h2>${t(lang, definition.name)}</h2>
${definition.layout.steps.map(
  (step, index) => html`<section aria-labelledby="review-${index}" class="review">
<h3 id="review-${index}">${t(lang, step.title)}</h3>
<dl class="form-data">${step.fields.map(
    (key) =>
      html`<dt>${titleOf(lang, schema.properties?.[key], key)}</dt><dd>${review(lang, schema.properties?.[key], view.data[key])}</dd>`,
  )}</dl>
<p><a href="${flowUrl(flow, '', index)}">${fill(t(lang, portal.changeItem), { item: t(lang, step.title) })}</a></p>
</section>`,
)}
${
  asked.length > 0
    ? html`<section aria-labelledby="review-attachments" class="review">
<h3 id="review-attachments">${t(lang, portal.attachments)}</h3>
<dl class="form-data">${asked.map(
        (a) =>
          html`<dt>${t(lang, a.name)}</dt><dd>${
            view.attached[a.id]
              ? `${t(lang, portal.uploaded)}${lang === 'ja' ? '：' : ': '}${view.attached[a.id]!.fileName || t(lang, portal.previousFile)}`
              : t(lang, portal.notAttached)
          }</dd>`,
      )}</dl>
<p><a href="${flowUrl(flow, '/attachments')}">${fill(t(lang, portal.changeItem), { item: t(lang, portal.attachments) })}</a></p>
</section>`
    : ''
}
<section aria-labelledby="review-fee" class="review">
<h3 id="review-fee">${t(lang, portal.fee)}</h3>
<p>${definition.fee ? yen(lang, definition.fee.amountYen) : t(lang, portal.noFee)}</p>
</section>
${
  view.toSign
    ? signForm(lang, view, view.toSign)
    : html`<p class="notice notice--warning">${t(lang, portal.invalidBeforeSigning)}</p>`
}`;
}
