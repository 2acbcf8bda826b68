import {
  csrfField,
  fieldError,
  fill,
  html,
  type Lang,
  type SafeHtml,
  t,
  tokyoDateTime,
} from '../../../core/index.ts';
import { formatPaymentCode } from '../payments/one-time-codes.ts';
import { qrSvg } from '../qr/qr-svg.ts';
import { pt } from './layout.ts';
import { merchantWords, words } from './texts.ts';

export interface PaymentCodeView {
  readonly csrfToken: string;
  readonly code: string;
  readonly expiresAt: Date;
  readonly available: number;
}

/**
 * /points/code: the resident's one-time code for the till to read, as a QR code and as digits
 * in fours (for a barcode reader that cannot read it off the screen, the shop types it). The
 * expiry is shown to the minute, rounded down, so the time said is never later than the real one.
 */
export function paymentCodeBody(lang: Lang, view: PaymentCodeView): SafeHtml {
  const until = tokyoDateTime(view.expiresAt).slice(11);
  return html`<p class="lead">${t(lang, words.payCodeLead)}</p>
<section aria-labelledby="pay-code-heading" class="qr-panel">
<h2 id="pay-code-heading">${t(lang, words.payCodeHeading)}</h2>
<div class="qr-panel__code" data-testid="pay-code-qr">${qrSvg(view.code, t(lang, words.payCodeLabel))}</div>
<p class="receipt__number" data-testid="pay-code">${formatPaymentCode(view.code)}</p>
<p class="qr-panel__amount"><time datetime="${view.expiresAt.toISOString()}">${fill(t(lang, words.payCodeExpires), { time: until })}</time></p>
</section>
<p>${t(lang, words.available)}：${pt(lang, view.available)}</p>
<p class="hint">${t(lang, words.payCodeWarning)}</p>
<form method="post" action="/points/code" class="form">${csrfField(view.csrfToken)}
<button type="submit">${t(lang, words.payCodeNew)}</button></form>
<p>${t(lang, words.payCodeHistory)} <a href="/points/history">${t(lang, words.historyAction)}</a></p>
<p><a href="/points">${t(lang, words.backToPoints)}</a></p>`;
}

export interface CustomerCodeForm {
  readonly csrfToken: string;
  /** A fresh id per form shown: pressing 受け取る twice charges once. */
  readonly chargeId: string;
  /** What was typed, shown again after a refusal. */
  readonly code?: string | undefined;
  readonly amount?: string | undefined;
  /** The refusal, and the field it is about. */
  readonly error?: { readonly message: string; readonly at: '#customer-code' | '#code-amount' } | undefined;
}

/** The tablet's form for a customer's code (利用者提示型): the code read or typed, and the amount. */
export function customerCodeSection(lang: Lang, form: CustomerCodeForm): SafeHtml {
  const w = merchantWords;
  const codeError = form.error?.at === '#customer-code' ? form.error.message : undefined;
  const amountError = form.error?.at === '#code-amount' ? form.error.message : undefined;
  return html`<section aria-labelledby="customer-code-heading">
<h2 id="customer-code-heading">${t(lang, w.customerCodeHeading)}</h2>
<form method="post" action="/merchant/charges" class="form">${csrfField(form.csrfToken)}
<input type="hidden" name="chargeId" value="${form.chargeId}">
<div class="field${codeError ? ' field--error' : ''}">
<label for="customer-code">${t(lang, w.customerCode)}</label>
<p class="hint" id="customer-code-hint">${t(lang, w.customerCodeHint)}</p>
${fieldError(lang, 'customer-code-error', codeError)}
<input type="text" id="customer-code" name="code" inputmode="numeric" autocomplete="off" spellcheck="false" maxlength="40" value="${form.code ?? ''}" aria-describedby="customer-code-hint${codeError ? ' customer-code-error' : ''}"${codeError ? html` aria-invalid="true"` : ''}>
</div>
<div class="field${amountError ? ' field--error' : ''}">
<label for="code-amount">${t(lang, w.customerCodeAmount)}</label>
${fieldError(lang, 'code-amount-error', amountError)}
<input type="text" id="code-amount" name="amount" class="input--short" inputmode="numeric" autocomplete="off" value="${form.amount ?? ''}"${amountError ? html` aria-invalid="true" aria-describedby="code-amount-error"` : ''}>
</div>
<button type="submit">${t(lang, w.takePayment)}</button>
</form>
</section>`;
}
