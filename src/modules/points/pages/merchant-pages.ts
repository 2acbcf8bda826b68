import {
  csrfField,
  doneNotice,
  errorSummary,
  fieldError,
  fill,
  html,
  type Lang,
  type SafeHtml,
  t,
  tokyoDateTime,
} from '../../../core/index.ts';
import type { ReceivedPayment } from '../payments/merchant-payments.ts';
import { qrSvg } from '../qr/qr-svg.ts';
import type { PlacedOrder } from '../shop/catalogue.ts';
import { customerCodeSection } from './code-page.ts';
import { pt } from './layout.ts';
import { merchantWords as w } from './texts.ts';

/** /merchant without a terminal key yet: the key, once, on this tablet. */
export function merchantSignInBody(lang: Lang, error?: string): SafeHtml {
  return html`${errorSummary(lang, error ? [{ href: '#terminal-key', message: error }] : [])}
<p class="lead">${t(lang, w.signInLead)}</p>
<form method="post" action="/merchant/sign-in" class="form">
<div class="field${error ? ' field--error' : ''}">
<label for="terminal-key">${t(lang, w.terminalKey)}</label>
${fieldError(lang, 'terminal-key-error', error)}
<input type="password" id="terminal-key" name="terminalKey" autocomplete="current-password" spellcheck="false" maxlength="200"${error ? html` aria-invalid="true" aria-describedby="terminal-key-error"` : ''}>
</div>
<button type="submit">${t(lang, w.signIn)}</button>
</form>`;
}

export interface MerchantView {
  readonly csrfToken: string;
  readonly shopName: string;
  /** The code to show: its text, and its amount if it has one. */
  readonly qr: { readonly text: string; readonly amount: number | undefined };
  readonly day: {
    readonly payments: readonly ReceivedPayment[];
    total: number;
    refunded: number;
    net: number;
  };
  readonly orders: readonly PlacedOrder[];
  /** The form for a customer's one-time code: its charge id, and what was typed if refused. */
  readonly codeCharge: { readonly chargeId: string; readonly code?: string; readonly amount?: string };
  readonly done?: string | undefined;
  readonly error?: string | undefined;
  /** Where the error summary leads: the amount field (default), or the list the refused button was in. */
  readonly errorAt?:
    | '#charge-amount'
    | '#customer-code'
    | '#code-amount'
    | '#today-heading'
    | '#orders-heading'
    | undefined;
}

function paymentRows(lang: Lang, view: MerchantView): SafeHtml {
  return html`${[...view.day.payments].reverse().map(
    (payment) => html`<tr>
<td><time datetime="${payment.paidAt.toISOString()}">${tokyoDateTime(payment.paidAt).slice(11)}</time></td>
<td><span class="nowrap">${payment.ref}</span></td>
<td class="numeric">${pt(lang, payment.amount)}</td>
<td class="numeric">${payment.refunded > 0 ? pt(lang, payment.refunded) : '—'}</td>
<td>${
      payment.refunded === 0
        ? html`<form method="post" action="/merchant/refunds" class="inline-form">${csrfField(view.csrfToken)}<input type="hidden" name="ref" value="${payment.ref}"><button type="submit" class="button--secondary button--small">${t(lang, w.refund)}<span class="visually-hidden"> ${payment.ref}</span></button></form>`
        : ''
    }</td>
</tr>`,
  )}`;
}

function orderRows(lang: Lang, view: MerchantView): SafeHtml {
  return html`${view.orders.map(
    (order) => html`<tr>
<td><span class="nowrap">${order.ref}</span></td>
<td>${order.items.map((item) => `${item.productId} × ${item.quantity}`).join('、')}</td>
<td class="numeric">${pt(lang, order.totalPoints)}</td>
<td><form method="post" action="/merchant/orders/${order.ref}/confirm" class="inline-form">${csrfField(view.csrfToken)}<button type="submit" class="button--small">${t(lang, w.confirmOrder)}<span class="visually-hidden"> ${order.ref}</span></button></form></td>
</tr>`,
  )}`;
}

/**
 * The shop's tablet: the code customers scan (static, or with the amount typed here), a
 * customer's one-time code to charge, today's payments by reference with refunds and totals,
 * and the online shop's orders to ship.
 */
export function merchantBody(lang: Lang, view: MerchantView): SafeHtml {
  const { qr, day, error } = view;
  const totals = fill(t(lang, w.totals), {
    total: day.total.toLocaleString('ja-JP'),
    refunded: day.refunded.toLocaleString('ja-JP'),
    net: day.net.toLocaleString('ja-JP'),
  });
  const amountError =
    error !== undefined && (view.errorAt ?? '#charge-amount') === '#charge-amount' ? error : undefined;
  return html`${errorSummary(lang, error ? [{ href: view.errorAt ?? '#charge-amount', message: error }] : [])}
${doneNotice(view.done)}
<section aria-labelledby="qr-heading" class="qr-panel">
<h2 id="qr-heading">${t(lang, w.qrHeading)}</h2>
<div class="qr-panel__code" data-testid="merchant-qr">${qrSvg(qr.text, fill(t(lang, w.qrLabel), { shop: view.shopName }))}</div>
<p class="qr-panel__amount">${qr.amount === undefined ? t(lang, w.qrStatic) : fill(t(lang, w.qrDynamic), { n: qr.amount.toLocaleString('ja-JP') })}</p>
<form method="get" action="/merchant" class="form">
<div class="field${amountError ? ' field--error' : ''}">
<label for="charge-amount">${t(lang, w.chargeAmount)}</label>
<p class="hint" id="charge-amount-hint">${t(lang, w.chargeHint)}</p>
${fieldError(lang, 'charge-amount-error', amountError)}
<input type="text" id="charge-amount" name="amount" class="input--short" inputmode="numeric" autocomplete="off" value="${qr.amount === undefined ? '' : String(qr.amount)}" aria-describedby="charge-amount-hint${amountError ? ' charge-amount-error' : ''}"${amountError ? html` aria-invalid="true"` : ''}>
</div>
<button type="submit">${t(lang, w.showCode)}</button>
</form>
</section>
${customerCodeSection(lang, {
  ...view.codeCharge,
  csrfToken: view.csrfToken,
  error:
    error !== undefined && (view.errorAt === '#customer-code' || view.errorAt === '#code-amount')
      ? { message: error, at: view.errorAt }
      : undefined,
})}
<section aria-labelledby="today-heading">
<h2 id="today-heading" tabindex="-1">${t(lang, w.todayHeading)}</h2>
<p><a href="/merchant">${t(lang, w.refresh)}</a></p>
${
  day.payments.length === 0
    ? html`<p>${t(lang, w.noPayments)}</p>`
    : html`<p data-testid="day-totals">${totals}</p>
<div class="table-wrap"><table class="data-table" data-testid="day-payments">
<thead><tr><th scope="col">${t(lang, w.time)}</th><th scope="col">${t(lang, w.ref)}</th><th scope="col">${t(lang, w.amount)}</th><th scope="col">${t(lang, w.refunded)}</th><th scope="col"><span class="visually-hidden">${t(lang, w.refund)}</span></th></tr></thead>
<tbody>${paymentRows(lang, view)}</tbody>
</table></div>`
}
</section>
<section aria-labelledby="orders-heading">
<h2 id="orders-heading" tabindex="-1">${t(lang, w.ordersHeading)}</h2>
${
  view.orders.length === 0
    ? html`<p>${t(lang, w.noOrders)}</p>`
    : html`<div class="table-wrap"><table class="data-table">
<thead><tr><th scope="col">${t(lang, w.ref)}</th><th scope="col">${t(lang, w.items)}</th><th scope="col">${t(lang, w.amount)}</th><th scope="col"><span class="visually-hidden">${t(lang, w.confirmOrder)}</span></th></tr></thead>
<tbody>${orderRows(lang, view)}</tbody>
</table></div>`
}
</section>
<form method="post" action="/merchant/sign-out" class="form">${csrfField(view.csrfToken)}<button type="submit" class="button--secondary">${t(lang, w.signOut)}</button></form>`;
}
