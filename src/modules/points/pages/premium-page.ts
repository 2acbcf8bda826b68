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
} from '../../../core/index.ts';
import type { OfferForResident } from '../premium/offers-for-resident.ts';
import { pt } from './layout.ts';
import { words } from './texts.ts';

export interface PremiumView {
  readonly csrfToken: string;
  readonly offers: readonly OfferForResident[];
  /** Fresh per page: pressing 購入する twice charges once. */
  readonly purchaseId: string;
  readonly done?: string | undefined;
  /** A refusal, and the field it is about. */
  readonly error?:
    | { readonly offerId: string; readonly field: 'units' | 'card-number'; readonly message: string }
    | undefined;
}

const yen = (n: number) => n.toLocaleString('ja-JP');

function offerForm(lang: Lang, view: PremiumView, entry: OfferForResident): SafeHtml {
  const { offer, unitsLeft, budgetRemains } = entry;
  const id = offer.offerId;
  // Each offer's form has its own ids; a refusal belongs to the offer it was sent for.
  const error = view.error?.offerId === id ? view.error : undefined;
  const units = `units-${id}`;
  const card = `card-number-${id}`;
  const terms = fill(t(lang, words.offerTerms), {
    price: yen(offer.priceYen),
    points: yen(offer.points),
    premium: yen(offer.points - offer.priceYen),
    left: String(unitsLeft),
  });
  const closed = !budgetRemains
    ? t(lang, words.offerSoldOut)
    : unitsLeft === 0
      ? t(lang, words.offerMaxed)
      : '';
  return html`<section aria-labelledby="offer-${id}">
<h2 id="offer-${id}">${t(lang, offer.name)}</h2>
<p>${terms}</p>
${offer.pointsExpireOn ? html`<p class="hint">${fill(t(lang, words.offerExpires), { day: offer.pointsExpireOn })}</p>` : ''}
${
  closed
    ? html`<p><strong>${closed}</strong></p>`
    : html`<form method="post" action="/points/premium" class="form">${csrfField(view.csrfToken)}
<input type="hidden" name="offerId" value="${id}">
<input type="hidden" name="purchaseId" value="${view.purchaseId}">
<div class="field${error?.field === 'units' ? ' field--error' : ''}">
<label for="${units}">${t(lang, words.units)}</label>
${fieldError(lang, `${units}-error`, error?.field === 'units' ? error.message : undefined)}
<select id="${units}" name="units"${error?.field === 'units' ? html` aria-invalid="true" aria-describedby="${units}-error"` : ''}>${Array.from(
        { length: unitsLeft },
        (_, n) =>
          html`<option value="${String(n + 1)}">${String(n + 1)}（${yen((n + 1) * offer.priceYen)}円 → ${pt(lang, (n + 1) * offer.points)}）</option>`,
      )}</select>
</div>
<div class="field${error?.field === 'card-number' ? ' field--error' : ''}">
<label for="${card}">${t(lang, words.cardNumber)}</label>
<p class="hint" id="${card}-hint">${t(lang, words.cardHint)}</p>
${fieldError(lang, `${card}-error`, error?.field === 'card-number' ? error.message : undefined)}
<input type="text" id="${card}" name="cardNumber" inputmode="numeric" autocomplete="cc-number" maxlength="23" aria-describedby="${card}-hint${error?.field === 'card-number' ? ` ${card}-error` : ''}"${error?.field === 'card-number' ? html` aria-invalid="true"` : ''}>
</div>
<button type="submit">${t(lang, words.buy)}</button>
</form>`
}
</section>`;
}

/** /points/premium: each offer on sale with what is left for the resident, and buying by card. */
export function premiumBody(lang: Lang, view: PremiumView): SafeHtml {
  const error = view.error;
  const href = error && `#${error.field === 'units' ? 'units' : 'card-number'}-${error.offerId}`;
  return html`${errorSummary(lang, error && href ? [{ href, message: error.message }] : [])}
${doneNotice(view.done)}
<p class="lead">${t(lang, words.premiumLead)}</p>
${view.offers.length === 0 ? html`<p>${t(lang, words.noOffers)}</p>` : view.offers.map((entry) => offerForm(lang, view, entry))}
<p><a href="/points">${t(lang, words.backToPoints)}</a></p>`;
}
