import { html, type SafeHtml } from './html.ts';
import type { Lang } from './lang.ts';

export interface SummaryItem {
  readonly href: string;
  readonly message: string;
}

/**
 * The error summary at the top of a refused form: each problem a link to its field. It takes
 * the focus as the page loads (autofocus: no script needed), and is announced as an alert.
 */
export function errorSummary(lang: Lang, items: readonly SummaryItem[], focus = true): SafeHtml {
  if (items.length === 0) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-heading"${focus ? html` autofocus` : ''}>
<h2 id="error-summary-heading">${lang === 'ja' ? '入力内容を確認してください' : 'There is a problem'}</h2>
<ul>${items.map((item) => html`<li><a href="${item.href}">${item.message}</a></li>`)}</ul>
</div>`;
}

/** The hidden CSRF field of every form of a signed-in person (the session's token, OWASP synchronizer pattern). */
export const csrfField = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;

/** A field's error message, with the words a screen reader says before it. */
export function fieldError(lang: Lang, id: string, message: string | undefined): SafeHtml {
  if (!message) return html``;
  return html`<p class="field-error" id="${id}"><span class="visually-hidden">${lang === 'ja' ? 'エラー：' : 'Error: '}</span>${message}</p>`;
}

/** A success or information notice after a step, said once (the page is not re-announced). */
export function doneNotice(text: string | undefined): SafeHtml {
  return text ? html`<div class="notice notice--success" role="status"><p>${text}</p></div>` : html``;
}
