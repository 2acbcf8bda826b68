import {
  addDays,
  isMachiError,
  type Lang,
  parseIsoDate,
  t,
  toHalfWidthAscii,
  toIsoDate,
} from '../../../core/index.ts';
import { checkOffer, type PremiumOffer } from '../premium/offers.ts';
import type { FormProblem } from './form-fields.ts';
import { premiumProblemWords as words } from './premium-words.ts';

/** The offer form as posted: every input a string, any of them missing. */
export type PremiumForm = Partial<
  Record<
    | '_csrf'
    | 'offerId'
    | 'nameJa'
    | 'nameEn'
    | 'priceYen'
    | 'points'
    | 'maxUnitsPerPerson'
    | 'pointsExpireOn'
    | 'salesFrom'
    | 'salesUntil'
    | 'active'
    | 'budgetPoints',
    string
  >
>;

/** The longest name, in characters (the gateway's message carries no longer). */
const NAME_MAX = 100;
/** The most public money one save adds: far above any town's budget, well inside the ledger's integers. */
const MAX_BUDGET_POINTS = 1_000_000_000;

/** A whole number as staff type it ('10000', '10,000', '１００００'); empty is null, anything else NaN. */
function wholeNumber(typed: string | undefined): number | null {
  const text = toHalfWidthAscii(typed ?? '')
    .replace(/[,\s]/g, '')
    .trim();
  if (text === '') return null;
  return /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
}

/** A day as staff type it ('2026-07-01', '2026/7/1', full-width); empty is null, undefined when it is no day. */
function day(typed: string | undefined): string | null | undefined {
  const text = toHalfWidthAscii(typed ?? '').trim();
  if (text === '') return null;
  // This century and the next few: the days of sales and expiry staff set.
  const match = /^(2\d{3})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text);
  if (!match) return undefined;
  try {
    return parseIsoDate(`${match[1]}-${match[2]!.padStart(2, '0')}-${match[3]!.padStart(2, '0')}`);
  } catch (error) {
    if (!isMachiError(error)) throw error;
    return undefined;
  }
}

/** The start of a day in Japan: sales open and close at midnight, Japan time. */
const tokyoMidnight = (isoDate: string) => new Date(`${isoDate}T00:00:00+09:00`);

/**
 * The offer a form describes and the budget it adds, with every problem said in the staff
 * member's language. The terms are checked by the premium module's own checks, so what passes
 * here is what the internet zone defines.
 */
export function readPremiumForm(
  lang: Lang,
  form: PremiumForm,
): { offer: PremiumOffer; budgetPoints: number | null; problems: FormProblem[] } {
  const problems: FormProblem[] = [];
  const refuse = (field: keyof typeof words) => {
    if (!problems.some((problem) => problem.field === field)) {
      problems.push({ field, message: t(lang, words[field]) });
    }
  };
  const expiry = day(form.pointsExpireOn);
  const from = day(form.salesFrom);
  const until = day(form.salesUntil);
  if (expiry === undefined) refuse('pointsExpireOn');
  if (from === undefined) refuse('salesFrom');
  if (until === undefined) refuse('salesUntil');
  const offer: PremiumOffer = {
    offerId: toHalfWidthAscii(form.offerId ?? '').trim(),
    name: { ja: (form.nameJa ?? '').trim(), en: (form.nameEn ?? '').trim() },
    priceYen: wholeNumber(form.priceYen) ?? Number.NaN,
    points: wholeNumber(form.points) ?? Number.NaN,
    maxUnitsPerPerson: wholeNumber(form.maxUnitsPerPerson) ?? Number.NaN,
    pointsExpireOn: expiry ?? null,
    salesFrom: from ? tokyoMidnight(from) : null,
    // The last day typed is sold on to its end: sales close at the next midnight.
    salesUntil: until ? tokyoMidnight(addDays(until, 1)) : null,
    active: form.active === '1',
  };
  const budgetPoints = wholeNumber(form.budgetPoints);
  if (budgetPoints !== null && !(budgetPoints >= 1 && budgetPoints <= MAX_BUDGET_POINTS))
    refuse('budgetPoints');
  // Not a number at all: said for each, before the offer's checks name the first range broken.
  if (Number.isNaN(offer.priceYen)) refuse('priceYen');
  if (Number.isNaN(offer.points)) refuse('points');
  if (Number.isNaN(offer.maxUnitsPerPerson)) refuse('maxUnitsPerPerson');
  const nameFits = (name: string) => name !== '' && [...name].length <= NAME_MAX;
  if (!nameFits(offer.name.ja)) refuse('nameJa');
  if (!nameFits(offer.name.en)) refuse('nameEn');
  try {
    checkOffer(offer);
  } catch (error) {
    if (!isMachiError(error) || error.code !== 'validation-failed') throw error;
    const field = error.extensions.field;
    if (field === 'name') {
      // Said above, input by input.
    } else if (typeof field === 'string' && field in words) refuse(field as keyof typeof words);
    else problems.push({ field: '', message: error.detail });
  }
  // Said in the order of the form's inputs, as the error summary lists them.
  const order = Object.keys(words);
  problems.sort((one, other) => order.indexOf(one.field) - order.indexOf(other.field));
  return { offer, budgetPoints, problems };
}

/** A kept offer's terms as its form shows them (the budget field empty: it adds). */
export function typedOfOffer(offer: PremiumOffer): Record<string, string> {
  return {
    offerId: offer.offerId,
    nameJa: offer.name.ja,
    nameEn: offer.name.en,
    priceYen: String(offer.priceYen),
    points: String(offer.points),
    maxUnitsPerPerson: String(offer.maxUnitsPerPerson),
    pointsExpireOn: offer.pointsExpireOn ?? '',
    salesFrom: offer.salesFrom ? toIsoDate(offer.salesFrom) : '',
    salesUntil: offer.salesUntil ? lastSalesDay(offer.salesUntil) : '',
    ...(offer.active ? { active: '1' } : {}),
  };
}

/** The last day on sale, for sales that close at `until` (a midnight, Japan time). */
export const lastSalesDay = (until: Date) => toIsoDate(new Date(until.getTime() - 1));
