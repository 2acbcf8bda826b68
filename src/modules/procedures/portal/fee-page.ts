import { html, type Lang, type SafeHtml, t } from '../../../core/index.ts';
import type { FeeRecord } from '../fees/fee-record.ts';
import type { PaymentInstructions } from '../fees/payment-provider.ts';
import { tokyoDateTime } from '../pages/format.ts';
import { csrfField, errorSummary, yen } from './layout.ts';
import { feeStates, portal } from './texts.ts';

export interface FeeView {
  readonly submissionId: string;
  readonly receiptNumber: string;
  readonly fee: FeeRecord;
  readonly instructions: PaymentInstructions | null;
  readonly csrfToken: string;
  /** Why the last try did not pay (declined, unreachable, a malformed card number). */
  readonly error?: { readonly field: 'card-number' | 'methods'; readonly message: string } | undefined;
  readonly notPaidYet?: boolean;
}

function numbers(lang: Lang, instructions: PaymentInstructions): SafeHtml {
  const rows =
    instructions.kind === 'konbini'
      ? [
          [portal.konbiniReceipt, instructions.receiptNumber],
          [portal.confirmationNumber, instructions.confirmationNumber],
        ]
      : [
          [portal.collectorNumber, instructions.collectorNumber],
          [portal.customerNumber, instructions.customerNumber],
          [portal.confirmationNumber, instructions.confirmationNumber],
        ];
  return html`<section aria-labelledby="numbers-heading">
<h2 id="numbers-heading">${t(lang, instructions.kind === 'konbini' ? portal.konbiniNumbers : portal.payeasyNumbers)}</h2>
<dl class="payment-numbers">${rows.map(([label, value]) => html`<dt>${t(lang, label as typeof portal.konbiniReceipt)}</dt><dd><strong class="nowrap">${value as string}</strong></dd>`)}
<dt>${t(lang, portal.payUntil)}</dt><dd><time datetime="${instructions.expiresAt.toISOString()}">${tokyoDateTime(instructions.expiresAt)}</time></dd></dl>
</section>`;
}

/**
 * /submissions/:id/fee with the built-in test provider: pay by card (the test provider's token
 * is the card number itself; a real gateway's script would make it in the browser), or get the
 * numbers to pay at a コンビニ or by Pay-easy, then ask whether the money has come in.
 */
export function feeBody(lang: Lang, view: FeeView): SafeHtml {
  const { fee } = view;
  const base = `/submissions/${view.submissionId}/fee`;
  const open = fee.state === 'due' || fee.state === 'failed';
  const error = view.error;
  const cardError = error?.field === 'card-number' ? error.message : undefined;
  return html`${errorSummary(lang, error ? [{ href: error.field === 'card-number' ? '#card-number' : '#methods-heading', message: error.message }] : [])}
<dl>
<dt>${t(lang, portal.receiptNumber)}</dt><dd><a href="/submissions/${view.submissionId}">${view.receiptNumber}</a></dd>
<dt>${t(lang, portal.feeAmount)}</dt><dd><strong>${yen(lang, fee.amountYen)}</strong></dd>
<dt>${t(lang, portal.feeState)}</dt><dd>${t(lang, feeStates[fee.state] ?? portal.fee)}</dd>
</dl>
${view.notPaidYet ? html`<div class="notice" role="status"><p>${t(lang, portal.notPaidYet)}</p></div>` : ''}
${view.instructions ? numbers(lang, view.instructions) : ''}
${
  fee.state === 'pending' && fee.method !== 'card'
    ? html`<form method="post" action="${base}/confirmation" class="form">${csrfField(view.csrfToken)}<button type="submit">${t(lang, portal.checkPayment)}</button></form>`
    : ''
}
${
  open
    ? html`<section aria-labelledby="methods-heading">
<h2 id="methods-heading" tabindex="-1">${t(lang, portal.payBy)}</h2>
<form method="post" action="${base}" class="form payment-form">
${csrfField(view.csrfToken)}<input type="hidden" name="method" value="card">
<h3>${t(lang, portal.byCard)}</h3>
<div class="field${cardError ? ' field--error' : ''}">
<label for="card-number">${t(lang, portal.cardNumber)}</label>
<p class="hint" id="card-number-hint">${t(lang, portal.cardNumberHint)}</p>
${cardError ? html`<p class="field-error" id="card-number-error"><span class="visually-hidden">${lang === 'ja' ? 'エラー：' : 'Error: '}</span>${cardError}</p>` : ''}
<input type="text" id="card-number" name="cardNumber" inputmode="numeric" autocomplete="cc-number" maxlength="23" aria-describedby="card-number-hint${cardError ? ' card-number-error' : ''}"${cardError ? html` aria-invalid="true"` : ''}>
</div>
<button type="submit">${t(lang, portal.pay)}</button>
</form>
<form method="post" action="${base}" class="form payment-form">
${csrfField(view.csrfToken)}<input type="hidden" name="method" value="konbini">
<h3>${t(lang, portal.byKonbini)}</h3>
<button type="submit" class="button--secondary">${t(lang, portal.byKonbini)}${lang === 'ja' ? 'で支払う' : ': get the numbers'}</button>
</form>
<form method="post" action="${base}" class="form payment-form">
${csrfField(view.csrfToken)}<input type="hidden" name="method" value="payeasy">
<h3>${t(lang, portal.byPayeasy)}</h3>
<button type="submit" class="button--secondary">${lang === 'ja' ? 'ペイジーで支払う' : 'Pay-easy: get the numbers'}</button>
</form>
</section>`
    : ''
}
<p><a href="/submissions/${view.submissionId}">${lang === 'ja' ? '申請の状況へ戻る' : 'Back to the application'}</a></p>`;
}
