import {
  csrfField,
  doneNotice,
  errorSummary,
  fill,
  html,
  type Lang,
  type SafeHtml,
  t,
  toIsoDate,
} from '../../../core/index.ts';
import type { PremiumOffer } from '../premium/offers.ts';
import { type FormProblem, inputField, type ProblemsByField } from './form-fields.ts';
import { lastSalesDay } from './premium-form.ts';
import type { AdminOffer } from './premium-store.ts';
import { premiumWords as w } from './premium-words.ts';

export interface PremiumView {
  readonly csrfToken: string;
  readonly offers: readonly AdminOffer[];
  readonly done?: string | undefined;
  readonly problems?: readonly FormProblem[] | undefined;
  /** What the form shows: what was typed, or a kept offer to change. */
  readonly typed?: Readonly<Record<string, string>> | undefined;
}

const number = (value: number) => value.toLocaleString('ja-JP');

/** The premium as a share of the price, to one decimal at most (10, 12.5). */
const rateOf = (offer: PremiumOffer) =>
  String(Math.round(((offer.points - offer.priceYen) / offer.priceYen) * 1000) / 10);

function termsText(lang: Lang, offer: PremiumOffer): SafeHtml {
  const open = t(lang, w.open);
  const window =
    offer.salesFrom || offer.salesUntil
      ? fill(t(lang, w.window), {
          from: offer.salesFrom ? toIsoDate(offer.salesFrom) : open,
          until: offer.salesUntil ? lastSalesDay(offer.salesUntil) : open,
        })
      : '';
  return html`${fill(t(lang, w.price), {
    price: number(offer.priceYen),
    points: number(offer.points),
    rate: rateOf(offer),
    units: String(offer.maxUnitsPerPerson),
  })}${window ? html`<br>${window}` : ''}${
    offer.pointsExpireOn ? html`<br>${fill(t(lang, w.expiry), { on: offer.pointsExpireOn })}` : ''
  }`;
}

function offerRows(lang: Lang, offers: readonly AdminOffer[]): SafeHtml {
  return html`${offers.map(
    ({
      offer,
      funded,
    }) => html`<tr><th scope="row">${t(lang, offer.name)}<br><span class="hint">${offer.offerId}</span></th>
<td>${termsText(lang, offer)}</td><td class="nowrap">${number(funded)} pt</td>
<td>${t(lang, offer.active ? w.active : w.closed)}<br><a href="/points/admin/premium?offer=${encodeURIComponent(offer.offerId)}#define-heading">${t(lang, w.change)}</a></td></tr>`,
  )}`;
}

/** /points/admin/premium: the offers, and the form to define or change one and add to its budget. */
export function premiumBody(lang: Lang, view: PremiumView): SafeHtml {
  const { typed } = view;
  const problems: ProblemsByField = Object.fromEntries(
    (view.problems ?? []).map((problem) => [problem.field, problem.message]),
  );
  const field = (name: string, label: string, hint?: string) => ({
    lang,
    name,
    label,
    hint,
    typed,
    problems,
  });
  const numeric = html` class="input--short" inputmode="numeric" autocomplete="off"`;
  const date = html` class="input--short" autocomplete="off" placeholder="2026-07-01"`;
  return html`${errorSummary(
    lang,
    (view.problems ?? []).map((problem) => ({
      href: problem.field ? `#${problem.field}` : '#define-heading',
      message: problem.message,
    })),
  )}
${doneNotice(view.done)}
<p class="lead">${t(lang, w.lead)}</p>
${
  view.offers.length === 0
    ? html`<p>${t(lang, w.none)}</p>`
    : html`<div class="table-wrap"><table class="data-table"><caption class="visually-hidden">${t(lang, w.title)}</caption>
<thead><tr><th scope="col">${t(lang, w.offer)}</th><th scope="col">${t(lang, w.terms)}</th><th scope="col">${t(lang, w.budget)}</th><th scope="col">${t(lang, w.status)}</th></tr></thead>
<tbody>${offerRows(lang, view.offers)}</tbody></table></div>`
}
<section aria-labelledby="define-heading">
<h2 id="define-heading" tabindex="-1">${t(lang, w.defineHeading)}</h2>
<p class="hint">${t(lang, w.defineHint)}</p>
${(view.problems ?? []).some((problem) => problem.field === '') ? html`<p class="field-error">${(view.problems ?? []).filter((problem) => problem.field === '').map((problem) => problem.message)}</p>` : ''}
<form method="post" action="/points/admin/premium" class="form" novalidate>${csrfField(view.csrfToken)}
${inputField(field('offerId', t(lang, w.offerId)), html` autocomplete="off" spellcheck="false" maxlength="40"`)}
${inputField(field('nameJa', t(lang, w.nameJa)), html` maxlength="100"`)}
${inputField(field('nameEn', t(lang, w.nameEn)), html` maxlength="100"`)}
${inputField(field('priceYen', t(lang, w.priceYen)), numeric)}
${inputField(field('points', t(lang, w.points), t(lang, w.pointsHint)), numeric)}
${inputField(field('maxUnitsPerPerson', t(lang, w.maxUnits)), numeric)}
${inputField(field('pointsExpireOn', t(lang, w.pointsExpireOn)), date)}
${inputField(field('salesFrom', t(lang, w.salesFrom)), date)}
${inputField(field('salesUntil', t(lang, w.salesUntil)), date)}
${inputField(field('budgetPoints', t(lang, w.budgetPoints), t(lang, w.budgetHint)), numeric)}
<div class="field"><input type="checkbox" id="active" name="active" value="1"${!typed || typed.active ? html` checked` : ''}> <label for="active">${t(lang, w.active)}</label></div>
<button type="submit">${t(lang, w.save)}</button>
</form>
</section>`;
}
