import { html, type Lang, type SafeHtml, t } from '../../../core/index.ts';
import type { ProcedureDefinition } from '../catalogue/definition.ts';
import { type Flow, type FlowStep, flowSteps, flowUrl } from './flow.ts';
import { errorTarget, type FieldsContext, stepFields } from './form-fields.ts';
import type { FormNode } from './form-schema.ts';
import { csrfField, doneNotice, errorSummary } from './layout.ts';
import { type RegistryStatus, registryNotice } from './registry-notice.ts';
import { fill, portal } from './texts.ts';

/** The office's request for correction, shown above every page of a correction. */
export interface CorrectionAsked {
  readonly message: string | null;
  readonly fields: readonly string[];
}

/** Which page of the form this is, as a list of all of them (aria-current="step"). */
export function progress(lang: Lang, steps: readonly FlowStep[], current: number): SafeHtml {
  return html`<nav aria-label="${t(lang, portal.steps)}" class="step-nav"><ol class="step-list">${steps.map(
    (step, index) =>
      html`<li${index === current ? html` aria-current="step" class="step-list__current"` : ''}>${
        index === current ? t(lang, step.title) : html`<a href="${step.href}">${t(lang, step.title)}</a>`
      }</li>`,
  )}</ol></nav>
<p class="step-caption">${fill(t(lang, portal.stepOf), { n: current + 1, total: steps.length })}</p>`;
}

export function correctionBanner(lang: Lang, asked: CorrectionAsked | undefined, schema: FormNode): SafeHtml {
  if (!asked) return html``;
  const names = asked.fields.map((key) => {
    const node = schema.properties?.[key];
    return (lang === 'en' ? (node?.titleEn ?? node?.title) : node?.title) ?? key;
  });
  return html`<div class="notice notice--warning">
<p>${t(lang, portal.correctionIntro)}</p>
${asked.message ? html`<p><strong>${t(lang, portal.officeMessage)}：</strong>${asked.message}</p>` : ''}
${names.length > 0 ? html`<p><strong>${t(lang, portal.itemsToCorrect)}：</strong>${names.join(lang === 'ja' ? '、' : ', ')}</p>` : ''}
</div>`;
}

export interface StepView {
  readonly definition: ProcedureDefinition;
  readonly flow: Flow;
  readonly index: number;
  readonly fields: FieldsContext;
  /** Problems in page order, each with its pointer. */
  readonly errors: readonly { path: string; message: string }[];
  readonly csrfToken: string;
  readonly saved: boolean;
  readonly correction?: CorrectionAsked | undefined;
  /** Where the registry's answer stands (ワンスオンリー), when there is something to say. */
  readonly registry?: RegistryStatus | undefined;
}

/**
 * One step of the form: the steps, any request for correction, the error summary, the step's
 * items, and 次へ / 戻る / 一時保存 (each saves the draft). The first button of the form is a
 * hidden 次へ, so Enter in a field continues rather than adding a row. Inputs the card can fill
 * (基本4情報) are marked data-prefill; prefill.js fills the empty ones. Above the form, where
 * the registry's answer stands (registry-wait.js waits for it while it is pending).
 */
export function stepBody(lang: Lang, view: StepView): SafeHtml {
  const { definition, flow, index, fields } = view;
  const step = definition.layout.steps[index]!;
  const schema = definition.schema as FormNode;
  const inputs = stepFields(fields, schema, step.fields);
  // The summary lists problems in the order of the fields on the page (the targets' order).
  const order = [...fields.targets.values()];
  const linked = view.errors.map((e) => ({
    href: `#${errorTarget(fields.targets, e.path)}`,
    message: e.message,
  }));
  const position = (href: string) => {
    const at = order.indexOf(href.slice(1));
    return at === -1 ? order.length : at;
  };
  const summary = errorSummary(
    lang,
    linked.sort((a, b) => position(a.href) - position(b.href)),
    !fields.focusRow,
  );
  const prefills = inputs.toString().includes('data-prefill=');
  const action = flowUrl(flow, '', index);
  return html`${progress(lang, flowSteps(definition, flow), index)}
${correctionBanner(lang, view.correction, schema)}
${view.saved ? doneNotice(t(lang, portal.saved)) : ''}
${registryNotice(lang, view.registry)}
${summary}
${
  prefills
    ? html`<div id="prefill-note" class="notice" role="status" hidden><p><strong>${t(lang, portal.prefilled)}</strong> ${t(lang, portal.prefillNote)}</p></div>`
    : ''
}
<form method="post" action="${action}" id="step-form" class="form" novalidate tabindex="-1">
${csrfField(view.csrfToken)}
<button type="submit" name="action" value="next" hidden tabindex="-1">${t(lang, portal.next)}</button>
${inputs}
<div class="actions">
<button type="submit" name="action" value="next">${t(lang, portal.next)}</button>
${index > 0 ? html`<button type="submit" name="action" value="back" class="button--secondary">${t(lang, portal.back)}</button>` : ''}
<button type="submit" name="action" value="save" class="button--secondary">${t(lang, portal.save)}</button>
</div>
<p class="hint">${t(lang, portal.draftKept)}</p>
</form>
${index === 0 ? html`<p><a href="/procedures/${definition.id}">${t(lang, definition.name)}</a></p>` : ''}
${prefills ? html`<script type="module" src="/assets/procedures/prefill.js"></script>` : ''}
${view.registry?.kind === 'pending' ? html`<script type="module" src="/assets/procedures/registry-wait.js"></script>` : ''}`;
}
