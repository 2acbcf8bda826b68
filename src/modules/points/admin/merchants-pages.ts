import {
  csrfField,
  doneNotice,
  errorSummary,
  fill,
  html,
  type Lang,
  type SafeHtml,
  t,
  tokyoDateTime,
} from '../../../core/index.ts';
import type { MerchantTerms } from '../merchants/save-merchant.ts';
import { type FormProblem, inputField, type ProblemsByField, selectField } from './form-fields.ts';
import { feePercent, typedOf } from './merchants-form.ts';
import type { AdminMerchant, IssuedKey } from './merchants-store.ts';
import { merchantWords as w } from './merchants-words.ts';

const merchantHref = (merchantId: string) => `/points/admin/merchants/${encodeURIComponent(merchantId)}`;

/** What a merchants page shows after a step: a notice, or problems with what was typed. */
export interface MerchantsOutcome {
  readonly done?: string | undefined;
  readonly problems?: readonly FormProblem[] | undefined;
  readonly typed?: Readonly<Record<string, string>> | undefined;
}

const byField = (problems: readonly FormProblem[] | undefined): ProblemsByField =>
  Object.fromEntries((problems ?? []).map((problem) => [problem.field, problem.message]));

function summary(lang: Lang, problems: readonly FormProblem[] | undefined, heading: string): SafeHtml {
  return errorSummary(
    lang,
    (problems ?? []).map((problem) => ({
      href: problem.field === '' ? `#${heading}` : `#${problem.field}`,
      message: problem.message,
    })),
  );
}

/** The merchant's terms as a form: a new one (its id typed), or a kept one (its id fixed). */
function termsForm(
  lang: Lang,
  view: { csrfToken: string; mode: 'new' | 'edit'; typed: Readonly<Record<string, string>> | undefined },
  problems: ProblemsByField,
): SafeHtml {
  const common = { lang, typed: view.typed, problems };
  const field = (name: string, label: string, hint?: string) => ({ ...common, name, label, hint });
  const short = html` class="input--short" inputmode="numeric" autocomplete="off"`;
  return html`<form method="post" action="/points/admin/merchants" class="form" novalidate>${csrfField(view.csrfToken)}
<input type="hidden" name="mode" value="${view.mode}">
${inputField(field('merchantId', t(lang, w.merchantId)), view.mode === 'edit' ? html` readonly` : html` autocomplete="off" spellcheck="false" maxlength="32"`)}
${inputField(field('name', t(lang, w.name)), html` maxlength="50"`)}
${inputField(field('nameLatin', t(lang, w.nameLatin), t(lang, w.latinHint)), html` maxlength="25" spellcheck="false"`)}
${inputField(field('cityLatin', t(lang, w.cityLatin)), html` maxlength="15" spellcheck="false"`)}
${inputField(field('categoryCode', t(lang, w.categoryCode), t(lang, w.categoryHint)), short)}
${inputField(field('postalCode', t(lang, w.postalCode)), html` class="input--short" autocomplete="off"`)}
${inputField(field('feePercent', t(lang, w.feePercent), t(lang, w.feeHint)), html` class="input--short" inputmode="decimal"`)}
<fieldset><legend>${t(lang, w.bankHeading)}</legend><p class="hint">${t(lang, w.bankHint)}</p>
${inputField(field('bankCode', t(lang, w.bankCode)), short)}
${inputField(field('branchCode', t(lang, w.branchCode)), short)}
${selectField(field('accountType', t(lang, w.accountType)), [
  ['1', t(lang, w.ordinary)],
  ['2', t(lang, w.current)],
])}
${inputField(field('accountNumber', t(lang, w.accountNumber)), short)}
${inputField(field('holderKana', t(lang, w.holderKana), t(lang, w.holderHint)), html` autocomplete="off"`)}
</fieldset>
${selectField(field('status', t(lang, w.status)), [
  ['active', t(lang, w.active)],
  ['suspended', t(lang, w.suspended)],
])}
<p class="hint">${t(lang, w.statusHint)}</p>
<button type="submit">${t(lang, w.save)}</button>
</form>`;
}

function bankText(lang: Lang, terms: MerchantTerms): string {
  const bank = terms.bank;
  if (!bank) return t(lang, w.noBank);
  const type = t(lang, bank.accountType === '2' ? w.current : w.ordinary);
  return `${bank.bankCode}-${bank.branchCode} ${type} ${bank.accountNumber} ${bank.holderKana}`;
}

/** /points/admin/merchants: the municipality's merchants and the form to register one. */
export function merchantsBody(
  lang: Lang,
  view: MerchantsOutcome & { csrfToken: string; merchants: readonly AdminMerchant[] },
): SafeHtml {
  return html`${summary(lang, view.problems, 'register-heading')}
${doneNotice(view.done)}
<p class="lead">${t(lang, w.lead)}</p>
${
  view.merchants.length === 0
    ? html`<p>${t(lang, w.none)}</p>`
    : html`<div class="table-wrap"><table class="data-table"><caption class="visually-hidden">${t(lang, w.title)}</caption>
<thead><tr><th scope="col">${t(lang, w.merchant)}</th><th scope="col">${t(lang, w.fee)}</th><th scope="col">${t(lang, w.bank)}</th><th scope="col">${t(lang, w.status)}</th></tr></thead>
<tbody>${view.merchants.map(
        ({
          terms,
        }) => html`<tr><th scope="row"><a href="${merchantHref(terms.merchantId)}">${terms.name}</a><br><span class="hint">${terms.merchantId}</span></th>
<td class="nowrap">${feePercent(terms.feeBasisPoints)} %</td><td>${bankText(lang, terms)}</td>
<td>${t(lang, terms.active ? w.active : w.suspended)}</td></tr>`,
      )}</tbody></table></div>`
}
<section aria-labelledby="register-heading">
<h2 id="register-heading" tabindex="-1">${t(lang, w.registerHeading)}</h2>
${termsForm(lang, { csrfToken: view.csrfToken, mode: 'new', typed: view.typed ?? { feePercent: '1.0' } }, byField(view.problems))}
</section>`;
}

function keyRows(lang: Lang, csrfToken: string, merchantId: string, keys: readonly IssuedKey[]): SafeHtml {
  return html`${keys.map(
    (key) => html`<tr><th scope="row">${key.label}<br><span class="hint nowrap">${key.keyId}</span></th>
<td>${fill(t(lang, w.issuedAt), { at: tokyoDateTime(key.createdAt) })}</td>
<td>${
      key.revokedAt
        ? fill(t(lang, w.keyRevoked), { at: tokyoDateTime(key.revokedAt) })
        : html`${t(lang, w.keyActive)}
<form method="post" action="${merchantHref(merchantId)}/keys/${encodeURIComponent(key.keyId)}/revoke" class="inline-form">${csrfField(csrfToken)}
<button type="submit" class="button--danger button--small">${t(lang, w.revoke)}</button></form>`
    }</td></tr>`,
  )}`;
}

/** /points/admin/merchants/:merchantId: the merchant's form, and its terminal keys. */
export function merchantBody(
  lang: Lang,
  view: MerchantsOutcome & {
    csrfToken: string;
    merchant: AdminMerchant;
    keys: readonly IssuedKey[];
    /** A refused key: what was wrong with its label. */
    keyProblem?: string | undefined;
  },
): SafeHtml {
  const { terms } = view.merchant;
  const keyProblems: ProblemsByField = view.keyProblem ? { label: view.keyProblem } : {};
  const keySummary = view.keyProblem ? [{ field: 'label', message: view.keyProblem }] : [];
  return html`${summary(lang, [...(view.problems ?? []), ...keySummary], 'edit-heading')}
${doneNotice(view.done)}
<section aria-labelledby="keys-heading">
<h2 id="keys-heading" tabindex="-1">${t(lang, w.keysHeading)}</h2>
<p class="hint">${t(lang, w.keysLead)}</p>
${
  view.keys.length === 0
    ? html`<p>${t(lang, w.keysNone)}</p>`
    : html`<div class="table-wrap"><table class="data-table"><caption class="visually-hidden">${t(lang, w.keysHeading)}</caption>
<tbody>${keyRows(lang, view.csrfToken, terms.merchantId, view.keys)}</tbody></table></div>`
}
<form method="post" action="${merchantHref(terms.merchantId)}/keys" class="form" novalidate>${csrfField(view.csrfToken)}
${inputField({ lang, name: 'label', label: t(lang, w.label), typed: view.keyProblem ? view.typed : undefined, problems: keyProblems }, html` maxlength="40"`)}
<button type="submit">${t(lang, w.issue)}</button>
</form>
</section>
<section aria-labelledby="edit-heading">
<h2 id="edit-heading" tabindex="-1">${t(lang, w.editHeading)}</h2>
${termsForm(lang, { csrfToken: view.csrfToken, mode: 'edit', typed: view.problems ? view.typed : typedOf(terms) }, byField(view.problems))}
</section>
<p><a href="/points/admin/merchants">${t(lang, w.back)}</a></p>`;
}

/**
 * The page that shows a new terminal key's token, once. Careful: this is the only place the
 * token exists; it is never stored, logged or sent to the internet zone (only its SHA-256 is).
 */
export function issuedKeyBody(
  lang: Lang,
  issued: { merchant: MerchantTerms; label: string; token: string },
): SafeHtml {
  return html`<div class="notice notice--warning"><p>${t(lang, w.issuedLead)}</p></div>
<p><strong>${issued.merchant.name}</strong> / ${issued.label}</p>
<div class="field"><label for="terminal-key">${t(lang, w.keysHeading)}</label><input type="text" id="terminal-key" readonly autocomplete="off" spellcheck="false" data-testid="terminal-key" value="${issued.token}"></div>
<p><a href="${merchantHref(issued.merchant.merchantId)}">${fill(t(lang, w.backToMerchant), { name: issued.merchant.name })}</a></p>`;
}
