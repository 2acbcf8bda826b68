import {
  csrfField,
  doneNotice,
  errorSummary,
  fieldError,
  html,
  type Lang,
  type SafeHtml,
  t,
} from '../../../core/index.ts';
import { pt } from './layout.ts';
import { words } from './texts.ts';

export interface HomeView {
  readonly csrfToken: string;
  /** Null until the resident sets up a MyKey ID. */
  readonly account: { readonly myKeyId: string; readonly available: number; readonly held: number } | null;
  readonly done?: string | undefined;
  /** Information that is neither success nor refusal (e.g. the registry is being asked). */
  readonly notice?: string | undefined;
  readonly codeError?: string | undefined;
}

/** /points: set up the MyKey ID, or the balance, what one can do, and a participation code to redeem. */
export function homeBody(lang: Lang, view: HomeView): SafeHtml {
  if (!view.account) {
    return html`<p class="lead">${t(lang, words.setUpLead)}</p>
<form method="post" action="/points/mykey" class="form">${csrfField(view.csrfToken)}
<button type="submit">${t(lang, words.setUp)}</button></form>`;
  }
  const { account, codeError } = view;
  return html`${errorSummary(lang, codeError ? [{ href: '#grant-code', message: codeError }] : [])}
${doneNotice(view.done)}
${view.notice ? html`<div class="notice" role="status"><p>${view.notice}</p></div>` : ''}
<section aria-labelledby="balance-heading" class="points-balance">
<h2 id="balance-heading">${t(lang, words.available)}</h2>
<p class="points-balance__amount" data-testid="balance">${pt(lang, account.available)}</p>
${account.held > 0 ? html`<p>${t(lang, words.held)}：${pt(lang, account.held)}</p>` : ''}
<p class="hint">${t(lang, words.myKeyId)}：<span class="nowrap">${account.myKeyId}</span></p>
</section>
<section aria-labelledby="actions-heading">
<h2 id="actions-heading">${t(lang, words.actions)}</h2>
<ul class="card-list">
<li class="card"><a href="/points/pay">${t(lang, words.payAction)}</a></li>
<li class="card"><a href="/points/code">${t(lang, words.payCodeAction)}</a></li>
<li class="card"><a href="/points/premium">${t(lang, words.premiumAction)}</a></li>
<li class="card"><a href="/points/shop">${t(lang, words.shopAction)}</a></li>
<li class="card"><a href="/points/history">${t(lang, words.historyAction)}</a></li>
</ul>
</section>
<section aria-labelledby="code-heading">
<h2 id="code-heading">${t(lang, words.codeHeading)}</h2>
<form method="post" action="/points/codes" class="form">${csrfField(view.csrfToken)}
<div class="field${codeError ? ' field--error' : ''}">
<label for="grant-code">${t(lang, words.codeLabel)}</label>
<p class="hint" id="grant-code-hint">${t(lang, words.codeHint)}</p>
${fieldError(lang, 'grant-code-error', codeError)}
<input type="text" id="grant-code" name="code" class="input--short" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="30" aria-describedby="grant-code-hint${codeError ? ' grant-code-error' : ''}"${codeError ? html` aria-invalid="true"` : ''}>
</div>
<button type="submit">${t(lang, words.codeSubmit)}</button>
</form>
</section>`;
}
