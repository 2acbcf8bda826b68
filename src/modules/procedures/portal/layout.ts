import { html, type Lang, page, type SafeHtml, t } from '../../../core/index.ts';
import { portal, portalZoneLabel } from './texts.ts';

/** A resident portal page in the shell every page uses, with the portal's navigation. */
export function residentPage(lang: Lang, view: { title: string; body: SafeHtml; path: string }): SafeHtml {
  return page({
    lang,
    title: view.title,
    zoneLabel: t(lang, portalZoneLabel),
    body: view.body,
    nav: [
      { href: '/', label: t(lang, portal.home) },
      { href: '/procedures', label: t(lang, portal.catalogue) },
      { href: '/submissions', label: t(lang, portal.filings) },
      { href: '/inbox', label: t(lang, portal.inbox) },
      { href: '/me', label: t(lang, portal.myPage) },
    ],
    path: view.path,
  });
}

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
<h2 id="error-summary-heading">${t(lang, portal.errorSummary)}</h2>
<ul>${items.map((item) => html`<li><a href="${item.href}">${item.message}</a></li>`)}</ul>
</div>`;
}

/** The hidden CSRF field of every resident form (the session's token, OWASP synchronizer pattern). */
export const csrfField = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;

/** A success or information notice after a step, said once (the page is not re-announced). */
export function doneNotice(text: string | undefined): SafeHtml {
  return text ? html`<div class="notice notice--success" role="status"><p>${text}</p></div>` : html``;
}

/** Yen with thousands separators, in the page's words. */
export function yen(lang: Lang, amount: number): string {
  return t(lang, portal.yen).replace('{n}', amount.toLocaleString('ja-JP'));
}
