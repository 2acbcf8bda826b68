import { type CivilDate, dateInvalid, parseCivilDate, toIsoDate } from './calendar.ts';
import { toKanjiNumber } from './kanji-numerals.ts';

/** A Japanese era (元号). `start` is its first day in the Gregorian calendar. */
export interface Era {
  readonly name: '明治' | '大正' | '昭和' | '平成' | '令和';
  readonly romaji: 'Meiji' | 'Taisho' | 'Showa' | 'Heisei' | 'Reiwa';
  /** The letter used in abbreviations such as R7.4.1 and on forms. */
  readonly letter: 'M' | 'T' | 'S' | 'H' | 'R';
  readonly start: string;
  readonly startYear: number;
}

/**
 * Oldest first. The start days are those of the 改元 (era change): 平成 began on 1989-01-08 so
 * 1989-01-07 is still 昭和64年; 令和 began on 2019-05-01 (元号を改める政令, 平成31年政令第143号).
 */
export const eras: readonly Era[] = [
  { name: '明治', romaji: 'Meiji', letter: 'M', start: '1868-10-23', startYear: 1868 },
  { name: '大正', romaji: 'Taisho', letter: 'T', start: '1912-07-30', startYear: 1912 },
  { name: '昭和', romaji: 'Showa', letter: 'S', start: '1926-12-25', startYear: 1926 },
  { name: '平成', romaji: 'Heisei', letter: 'H', start: '1989-01-08', startYear: 1989 },
  { name: '令和', romaji: 'Reiwa', letter: 'R', start: '2019-05-01', startYear: 2019 },
];

/**
 * Japan adopted the Gregorian calendar on 明治6年1月1日 = 1873-01-01 (明治5年太政官布告第337号);
 * before that the same day had a different, lunisolar month and day, so a 和暦 date before it
 * cannot be converted by arithmetic. Machi refuses those days rather than give a wrong answer.
 */
export const GREGORIAN_ADOPTION = '1873-01-01';

/** A day as the era calendar writes it: 令和7年4月1日 is { era: 令和, year: 7, month: 4, day: 1 }. */
export interface WarekiDate {
  readonly era: Era;
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function civil(date: string | Date): { iso: string; parts: CivilDate } {
  const iso = typeof date === 'string' ? date : toIsoDate(date);
  return { iso, parts: parseCivilDate(iso) };
}

/** The era in effect on that day ('YYYY-MM-DD', or an instant taken in Asia/Tokyo). */
export function warekiOf(date: string | Date): WarekiDate {
  const { iso, parts } = civil(date);
  if (iso < GREGORIAN_ADOPTION) {
    throw dateInvalid(
      `Dates before ${GREGORIAN_ADOPTION} (明治6年1月1日) have no 和暦 form Machi can compute: Japan used the lunisolar calendar until then.`,
      iso,
    );
  }
  let era = eras[0]!;
  for (const candidate of eras) if (iso >= candidate.start) era = candidate;
  return { era, year: parts.year - era.startYear + 1, month: parts.month, day: parts.day };
}

export interface FormatEraYearOptions {
  /** Write year 1 as 元年 (the default), or as 1年. */
  readonly gannen?: boolean;
  /** Arabic digits (the default) or kanji numerals, as in vertical text. */
  readonly numerals?: 'arabic' | 'kanji';
}

/** 令和元年, 令和7年, 令和七年. */
export function formatEraYear(era: Era, year: number, options: FormatEraYearOptions = {}): string {
  if (year === 1 && options.gannen !== false) return `${era.name}元年`;
  return `${era.name}${options.numerals === 'kanji' ? toKanjiNumber(year) : year}年`;
}

export interface FormatWarekiOptions extends FormatEraYearOptions {
  /**
   * - 'kanji' (default): 令和7年4月1日, 令和元年5月1日
   * - 'abbr': R7.4.1 — the letter form used on forms and in tables; year 1 is R1
   * - 'en': April 1, Reiwa 7 (2025) — the Gregorian year is added because few readers know the eras
   */
  readonly style?: 'kanji' | 'abbr' | 'en';
  /** For 'abbr': two-digit year, month and day (R07.04.01). */
  readonly pad?: boolean;
}

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** '2025-04-01' → '令和7年4月1日'. Throws `date-invalid` for a malformed day or one before 1873. */
export function formatWareki(date: string | Date, options: FormatWarekiOptions = {}): string {
  const w = warekiOf(date);
  switch (options.style ?? 'kanji') {
    case 'abbr': {
      const two = (n: number) => (options.pad ? String(n).padStart(2, '0') : String(n));
      return `${w.era.letter}${two(w.year)}.${two(w.month)}.${two(w.day)}`;
    }
    case 'en':
      return `${MONTHS_EN[w.month - 1]} ${w.day}, ${w.era.romaji} ${w.year} (${w.era.startYear + w.year - 1})`;
    default: {
      const n = (v: number) => (options.numerals === 'kanji' ? toKanjiNumber(v) : String(v));
      return `${formatEraYear(w.era, w.year, options)}${n(w.month)}月${n(w.day)}日`;
    }
  }
}
