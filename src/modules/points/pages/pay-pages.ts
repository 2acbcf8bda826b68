import {
  csrfField,
  errorSummary,
  fieldError,
  html,
  type Lang,
  type SafeHtml,
  t,
} from '../../../core/index.ts';
import { pt } from './layout.ts';
import { words } from './texts.ts';

/**
 * /points/pay: the shop's code read by the camera or from a photo (scan.js, with jsQR, in the
 * browser: the picture never leaves the phone), or pasted. Without script the text box alone works.
 */
export function scanBody(lang: Lang, view: { csrfToken: string; qr?: string; error?: string }): SafeHtml {
  const error = view.error;
  return html`${errorSummary(lang, error ? [{ href: '#qr', message: error }] : [])}
<p class="lead">${t(lang, words.scanLead)}</p>
<form method="post" action="/points/pay/check" class="form" id="scan-form" data-not-found="${t(lang, words.scanNotFound)}" data-no-camera="${t(lang, words.scanNoCamera)}">${csrfField(view.csrfToken)}
<div class="qr-scan" hidden>
<div class="actions">
<button type="button" id="scan-camera" hidden>${t(lang, words.scanCamera)}</button>
<button type="button" id="scan-stop" class="button--secondary" hidden>${t(lang, words.scanStop)}</button>
<label class="button-link button--secondary" for="scan-photo">${t(lang, words.scanPhoto)}</label>
<input type="file" id="scan-photo" accept="image/*" capture="environment" class="visually-hidden">
</div>
<video id="scan-video" class="qr-video" muted playsinline hidden></video>
<p id="scan-status" role="status" aria-live="polite"></p>
</div>
<div class="field${error ? ' field--error' : ''}">
<label for="qr">${t(lang, words.qrText)}</label>
${fieldError(lang, 'qr-error', error)}
<textarea id="qr" name="qr" rows="3" maxlength="512" spellcheck="false" autocomplete="off"${error ? html` aria-invalid="true" aria-describedby="qr-error"` : ''}>${view.qr ?? ''}</textarea>
</div>
<button type="submit">${t(lang, words.qrNext)}</button>
</form>
<script src="/assets/points/jsqr.js"></script>
<script src="/assets/points/scan.js"></script>`;
}

export interface ConfirmView {
  readonly csrfToken: string;
  readonly qr: string;
  /** A fresh id per confirmation page: pressing 支払う twice pays once. */
  readonly paymentId: string;
  readonly shopName: string;
  /** Inside a dynamic code; undefined: the resident types it. */
  readonly fixedAmount: number | undefined;
  readonly typedAmount?: string;
  readonly available: number;
  readonly error?: string | undefined;
}

/** The shop and the amount, checked before paying. */
export function confirmBody(lang: Lang, view: ConfirmView): SafeHtml {
  const { error } = view;
  const amountField =
    view.fixedAmount === undefined
      ? html`<div class="field${error ? ' field--error' : ''}">
<label for="amount">${t(lang, words.amount)}</label>
<p class="hint" id="amount-hint">${t(lang, words.amountHint)}</p>
${fieldError(lang, 'amount-error', error)}
<input type="text" id="amount" name="amount" class="input--short" inputmode="numeric" autocomplete="off" value="${view.typedAmount ?? ''}" aria-describedby="amount-hint${error ? ' amount-error' : ''}"${error ? html` aria-invalid="true"` : ''}>
</div>`
      : html`<input type="hidden" name="amount" value="${String(view.fixedAmount)}">`;
  return html`${errorSummary(lang, error ? [{ href: view.fixedAmount === undefined ? '#amount' : '#pay-button', message: error }] : [])}
<dl>
<dt>${t(lang, words.shop)}</dt><dd><strong data-testid="shop-name">${view.shopName}</strong></dd>
${view.fixedAmount !== undefined ? html`<dt>${t(lang, words.amount)}</dt><dd><strong>${pt(lang, view.fixedAmount)}</strong></dd>` : ''}
<dt>${t(lang, words.available)}</dt><dd>${pt(lang, view.available)}</dd>
</dl>
<form method="post" action="/points/pay" class="form">${csrfField(view.csrfToken)}
<input type="hidden" name="qr" value="${view.qr}">
<input type="hidden" name="paymentId" value="${view.paymentId}">
${amountField}
<button type="submit" id="pay-button">${t(lang, words.payNow)}</button>
</form>
<p><a href="/points/pay">${t(lang, words.scanCamera)}</a></p>`;
}

/** The receipt the resident shows at the till. */
export function paidBody(
  lang: Lang,
  receipt: { shopName: string; amount: number; ref: string; paidAt: string; balance: number },
): SafeHtml {
  return html`<div class="notice notice--success receipt" role="status">
<p>${t(lang, words.paidLead)}</p>
<dl>
<dt>${t(lang, words.shop)}</dt><dd><strong>${receipt.shopName}</strong></dd>
<dt>${t(lang, words.amount)}</dt><dd><strong class="points-paid" data-testid="paid-amount">${pt(lang, receipt.amount)}</strong></dd>
<dt>${t(lang, words.paymentRef)}</dt><dd><span class="nowrap" data-testid="payment-ref">${receipt.ref}</span></dd>
<dt>${t(lang, words.paidAt)}</dt><dd>${receipt.paidAt}</dd>
<dt>${t(lang, words.balanceAfter)}</dt><dd>${pt(lang, receipt.balance)}</dd>
</dl>
</div>
<p><a href="/points">${t(lang, words.backToPoints)}</a></p>`;
}
