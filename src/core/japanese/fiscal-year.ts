import { dateInvalid, parseCivilDate, toIsoDate } from './calendar.ts';
import { formatEraYear, warekiOf } from './era.ts';
import { parseWareki } from './wareki-parse.ts';
import { toHalfWidthAscii } from './width.ts';

/**
 * 年度: the Japanese fiscal (and school) year runs from 1 April to 31 March (会計年度,
 * 地方自治法第208条) and is named by the calendar year it starts in: 2025年度 = 2025-04-01 … 2026-03-31.
 */
export interface FiscalYearRange {
  readonly start: string;
  readonly end: string;
}

// The first fiscal year whose start has a Gregorian 和暦 form, and the last that ends by 9999.
const FIRST = 1873;
const LAST = 9998;

function checkFiscalYear(fiscalYear: number): void {
  if (!Number.isInteger(fiscalYear) || fiscalYear < FIRST || fiscalYear > LAST) {
    throw dateInvalid(`A fiscal year must be a whole year from ${FIRST} to ${LAST}.`, String(fiscalYear));
  }
}

/** The 年度 a day belongs to: '2026-03-31' → 2025, '2026-04-01' → 2026. An instant is taken in Asia/Tokyo. */
export function fiscalYearOf(date: string | Date): number {
  const { year, month } = parseCivilDate(typeof date === 'string' ? date : toIsoDate(date));
  return month >= 4 ? year : year - 1;
}

export function fiscalYearRange(fiscalYear: number): FiscalYearRange {
  checkFiscalYear(fiscalYear);
  return { start: `${fiscalYear}-04-01`, end: `${fiscalYear + 1}-03-31` };
}

export interface FormatFiscalYearOptions {
  readonly lang?: 'ja' | 'en';
  /**
   * Which era names a fiscal year in which an era began after 1 April (only 2019 so far among
   * recent ones — 令和 began on 2019-05-01):
   * - 'year-end' (default): the era in effect on 31 December of its first calendar year, so
   *   2019 → 令和元年度, the name most budgets, settlements (決算) and statistics such as
   *   オンライン利用率 use for that year once the era had changed.
   * - 'start': the era on 1 April, so 2019 → 平成31年度, as documents written before May 2019 say.
   * Both give 平成元年度 for 1989 (平成 began in January) and 昭和63年度 for 1988.
   */
  readonly eraOn?: 'year-end' | 'start';
}

/** 2025 → '令和7年度' (or 'FY2025 (Reiwa 7)'); 2019 → '令和元年度'. */
export function formatFiscalYear(fiscalYear: number, options: FormatFiscalYearOptions = {}): string {
  checkFiscalYear(fiscalYear);
  const { era, year } = warekiOf(`${fiscalYear}-${options.eraOn === 'start' ? '04-01' : '12-31'}`);
  if (options.lang === 'en') return `FY${fiscalYear} (${era.romaji} ${year})`;
  return `${formatEraYear(era, year)}度`;
}

/**
 * '令和7年度', 'R7年度', '令和元年度', '平成31年度', '2025年度', 'FY2025' → the fiscal year (2025, 2019 …).
 * A 年度 in an old era follows parseWareki's rules (平成31年度 = 2019; 平成40年度 is refused).
 */
export function parseFiscalYear(text: unknown): number {
  if (typeof text !== 'string') throw dateInvalid('The fiscal year must be text.', text);
  const s = toHalfWidthAscii(text).replace(/\s+/g, '');
  const fy = /^FY(.+)$/i.exec(s);
  const body = fy ? `${fy[1]}年度` : s;
  const match = /^(.+年)度$/.exec(body);
  if (!match) throw dateInvalid('A fiscal year is written like 令和7年度, 2025年度 or FY2025.', text);
  // Read '<year>年' as 31 December of that year, which reuses every era rule of parseWareki;
  // not 1 April, which for 令和元年度 is still 平成 and would be refused as before the era.
  const result = Number(parseWareki(`${match[1]}12月31日`).slice(0, 4));
  checkFiscalYear(result);
  return result;
}
