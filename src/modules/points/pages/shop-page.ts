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
import type { PlacedOrder, Product } from '../shop/catalogue.ts';
import { pt } from './layout.ts';
import { orderStates, words } from './texts.ts';

export interface ShopView {
  readonly csrfToken: string;
  readonly products: readonly Product[];
  readonly orders: readonly PlacedOrder[];
  /** Fresh per page: sending the same form twice places one order, gives once. */
  readonly orderId: string;
  readonly donationId: string;
  readonly available: number;
  readonly done?: string | undefined;
  readonly orderError?: string | undefined;
  readonly donateError?: string | undefined;
}

function productRows(lang: Lang, products: readonly Product[]): SafeHtml {
  return html`${products.map((product) => {
    const id = `qty-${product.productId}`;
    const name = t(lang, product.name);
    return html`<tr>
<th scope="row">${name}</th>
<td class="numeric">${pt(lang, product.pricePoints)}</td>
<td class="numeric">${product.stock > 0 ? String(product.stock) : t(lang, words.soldOut)}</td>
<td>${
      product.stock > 0
        ? html`<label class="visually-hidden" for="${id}">${name} ${t(lang, words.quantity)}</label><input type="number" id="${id}" name="${id}" class="input--short" min="0" max="${String(Math.min(99, product.stock))}" value="0" inputmode="numeric">`
        : '—'
    }</td>
</tr>`;
  })}`;
}

function orderRows(lang: Lang, view: ShopView): SafeHtml {
  return html`${view.orders.map(
    (order) => html`<tr>
<td><span class="nowrap">${order.ref}</span></td>
<td class="numeric">${pt(lang, order.totalPoints)}</td>
<td>${t(lang, orderStates[order.state] ?? orderStates.reserved!)}</td>
<td>${
      order.state === 'reserved'
        ? html`<form method="post" action="/points/shop/orders/${order.ref}/cancel" class="inline-form">${csrfField(view.csrfToken)}<button type="submit" class="button--secondary button--small">${t(lang, words.cancelOrder)}<span class="visually-hidden"> ${order.ref}</span></button></form>`
        : ''
    }</td>
</tr>`,
  )}`;
}

/** /points/shop: local products with a quantity each (one form is the cart), the resident's orders, and a donation. */
export function shopBody(lang: Lang, view: ShopView): SafeHtml {
  const { orderError, donateError } = view;
  const problems = [
    ...(orderError ? [{ href: '#products-heading', message: orderError }] : []),
    ...(donateError ? [{ href: '#donation-amount', message: donateError }] : []),
  ];
  return html`${errorSummary(lang, problems)}
${doneNotice(view.done)}
<p class="lead">${t(lang, words.shopLead)}</p>
<p>${t(lang, words.available)}：<strong>${pt(lang, view.available)}</strong></p>
<section aria-labelledby="products-heading">
<h2 id="products-heading" tabindex="-1">${t(lang, words.shopTitle)}</h2>
${fieldError(lang, 'order-error', orderError)}
${
  view.products.length === 0
    ? html`<p>${t(lang, words.noProducts)}</p>`
    : html`<form method="post" action="/points/shop/orders" class="form">${csrfField(view.csrfToken)}
<input type="hidden" name="orderId" value="${view.orderId}">
<div class="table-wrap"><table class="data-table">
<thead><tr><th scope="col">${t(lang, words.product)}</th><th scope="col">${t(lang, words.price)}</th><th scope="col">${t(lang, words.stock)}</th><th scope="col">${t(lang, words.quantity)}</th></tr></thead>
<tbody>${productRows(lang, view.products)}</tbody>
</table></div>
<button type="submit">${t(lang, words.order)}</button>
</form>`
}
</section>
${
  view.orders.length > 0
    ? html`<section aria-labelledby="orders-heading">
<h2 id="orders-heading">${t(lang, words.myOrders)}</h2>
<div class="table-wrap"><table class="data-table">
<thead><tr><th scope="col">${t(lang, words.orderRef)}</th><th scope="col">${t(lang, words.change)}</th><th scope="col">${t(lang, words.orderState)}</th><th scope="col"><span class="visually-hidden">${t(lang, words.cancelOrder)}</span></th></tr></thead>
<tbody>${orderRows(lang, view)}</tbody>
</table></div>
</section>`
    : ''
}
<section aria-labelledby="donate-heading">
<h2 id="donate-heading">${t(lang, words.donateHeading)}</h2>
<p>${t(lang, words.donateLead)}</p>
<form method="post" action="/points/donations" class="form">${csrfField(view.csrfToken)}
<input type="hidden" name="donationId" value="${view.donationId}">
<div class="field${donateError ? ' field--error' : ''}">
<label for="donation-amount">${t(lang, words.donateAmount)}</label>
${fieldError(lang, 'donation-amount-error', donateError)}
<input type="text" id="donation-amount" name="amount" class="input--short" inputmode="numeric" autocomplete="off"${donateError ? html` aria-invalid="true" aria-describedby="donation-amount-error"` : ''}>
</div>
<button type="submit" class="button--secondary">${t(lang, words.donate)}</button>
</form>
</section>`;
}
