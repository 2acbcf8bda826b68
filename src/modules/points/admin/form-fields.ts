import { fieldError, html, type Lang, type SafeHtml } from '../../../core/index.ts';

/** A problem said on a page, beside its input (`field` '' for one about the whole form). */
export interface FormProblem {
  readonly field: string;
  readonly message: string;
}

/** A form's problems by input name, as the page says them. */
export type ProblemsByField = Readonly<Record<string, string>>;

export interface FieldOptions {
  readonly lang: Lang;
  /** The input's id and name. */
  readonly name: string;
  readonly label: string;
  readonly hint?: string | undefined;
  readonly typed: Readonly<Record<string, string>> | undefined;
  readonly problems: ProblemsByField;
}

/**
 * A labelled input with its hint and, when refused, its problem: the field marked, the input
 * aria-invalid and described by the message (read by a screen reader as it takes the focus).
 */
export function inputField(options: FieldOptions, attributes: SafeHtml = html``): SafeHtml {
  const { lang, name, label, hint, typed, problems } = options;
  const problem = problems[name];
  const described = [hint ? `${name}-hint` : '', problem ? `${name}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field${problem ? ' field--error' : ''}"><label for="${name}">${label}</label>${
    hint ? html`<p class="hint" id="${name}-hint">${hint}</p>` : ''
  }${fieldError(lang, `${name}-error`, problem)}<input type="text" id="${name}" name="${name}" value="${typed?.[name] ?? ''}"${
    described ? html` aria-describedby="${described}"` : ''
  }${problem ? html` aria-invalid="true"` : ''}${attributes}></div>`;
}

/** A labelled select of `choices` ([value, label]), the typed one (or the first) chosen. */
export function selectField(
  options: FieldOptions,
  choices: readonly (readonly [string, string])[],
): SafeHtml {
  const { lang, name, label, typed, problems } = options;
  const problem = problems[name];
  return html`<div class="field${problem ? ' field--error' : ''}"><label for="${name}">${label}</label>${fieldError(lang, `${name}-error`, problem)}<select id="${name}" name="${name}"${
    problem ? html` aria-invalid="true" aria-describedby="${name}-error"` : ''
  }>${choices.map(
    ([value, text]) =>
      html`<option value="${value}"${typed?.[name] === value ? html` selected` : ''}>${text}</option>`,
  )}</select></div>`;
}

/** What was typed in a form, to put back in it: every field but the CSRF token. */
export function typedFields(form: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const typed: Record<string, string> = {};
  for (const [name, value] of Object.entries(form))
    if (name !== '_csrf' && value !== undefined) typed[name] = value;
  return typed;
}
