import { checkCivilDate, dateInvalid, formatIsoDate } from './calendar.ts';
import { type Era, eras, GREGORIAN_ADOPTION } from './era.ts';
import { KANJI_NUMERAL_CHARS, parseKanjiNumber } from './kanji-numerals.ts';
import { DASH_LIKE, toHalfWidthAscii } from './width.ts';

/** The one-character era squares (㋿ U+32FF …), which some fonts and forms use. */
const ERA_SQUARES: Readonly<Record<string, string>> = {
  '㋿': '令和',
  '㍻': '平成',
  '㍼': '昭和',
  '㍽': '大正',
  '㍾': '明治',
};

/**
 * How many years past its last year an old era is still accepted. After an era change people
 * keep writing the old era for a while, and documents printed earlier carry dates in it: cards
 * and licences issued in 2018 state expiry dates such as 平成35年 (= 2023, 令和5年). Five years
 * covers the common validity periods; 平成40年 is refused as more likely a typing mistake.
 */
export const OLD_ERA_GRACE_YEARS = 5;

const NUM = `(?:[0-9]+|[${KANJI_NUMERAL_CHARS}]+)`;
const ERA = `(明治|大正|昭和|平成|令和|[MTSHR])`;
// 令和7年4月1日 / 令和七年四月一日 / 令和元年5月1日 (日 may be left off)
const WAREKI_KANJI = new RegExp(`^${ERA}(元|${NUM})年(${NUM})月(${NUM})日?$`, 'i');
// R7.4.1 / R07/04/01 / H31-4-30 / 令和7.4.1 — one separator used throughout
const WAREKI_SEPARATED = new RegExp(`^${ERA}(元|[0-9]{1,2})([./-])([0-9]{1,2})\\3([0-9]{1,2})$`, 'i');
// 2025-04-01 / 2025/4/1 / 2025.4.1
const WESTERN_SEPARATED = /^([0-9]{4})([./-])([0-9]{1,2})\2([0-9]{1,2})$/;
// 2025年4月1日 / 二〇二五年四月一日
const WESTERN_KANJI = new RegExp(`^([0-9]{4}|[${KANJI_NUMERAL_CHARS}]{4,})年(${NUM})月(${NUM})日?$`);

function readNumber(token: string, value: string): number {
  if (token === '元') return 1;
  const n = /^[0-9]+$/.test(token) ? Number(token) : parseKanjiNumber(token);
  if (n === undefined) throw dateInvalid(`「${token}」 is not a number written in kanji.`, value);
  return n;
}

function eraFor(token: string): Era {
  const upper = token.toUpperCase();
  return eras.find((e) => e.name === token || e.letter === upper)!;
}

/** The day for an era date, enforcing the era's first day and the grace after its last. */
function fromEra(era: Era, year: number, month: number, day: number, value: string, graceYears: number) {
  if (year < 1)
    throw dateInvalid(`There is no ${era.name}${year}年: the first year of an era is 元年 (1).`, value);
  const index = eras.indexOf(era);
  const next = eras[index + 1];
  const lastYear = next ? next.startYear - era.startYear + 1 : undefined;
  if (next && lastYear !== undefined && year > lastYear + graceYears) {
    throw dateInvalid(
      `${era.name} ended in its year ${lastYear} (${next.startYear}); ${era.name}${year}年 is too far past its end — write the date in ${next.name}.`,
      value,
    );
  }
  const gregorianYear = era.startYear + year - 1;
  const date = formatIsoDate(
    checkCivilDate(gregorianYear, month, day, value, `${era.name}${year}年 (${gregorianYear})`),
  );
  if (date < GREGORIAN_ADOPTION) {
    throw dateInvalid(
      `Dates before 明治6年1月1日 (${GREGORIAN_ADOPTION}) cannot be converted: Japan used the lunisolar calendar until then.`,
      value,
    );
  }
  if (date < era.start) {
    // e.g. 令和元年4月1日: that day was 平成31年4月1日. We refuse rather than guess which part is wrong.
    throw dateInvalid(`${era.name} began on ${era.start}; ${date} is before it, in the previous era.`, value);
  }
  return date;
}

export interface ParseWarekiOptions {
  /** Years past an old era's end still accepted (平成31年5月1日 → 2019-05-01). Default OLD_ERA_GRACE_YEARS. */
  readonly graceYears?: number;
}

/**
 * Reads a date as people write it in Japan and returns 'YYYY-MM-DD'. Accepts:
 * - 和暦: 令和7年4月1日, 令和元年5月1日, 令和７年４月１日, 令和七年四月一日, 昭和六十四年一月七日, ㋿7年4月1日
 * - abbreviations: R7.4.1, R07/04/01, H31.4.30, S64.1.7, r7-4-1 (M T S H R)
 * - Gregorian: 2025-04-01, 2025/4/1, 2025年4月1日
 * Whitespace is ignored; full-width digits, letters and punctuation count as their ASCII forms.
 * A date written in the old era after an era change is accepted and normalised
 * (平成31年5月1日 → 2019-05-01, 昭和64年1月8日 → 1989-01-08) up to `graceYears` past the era's
 * last year. A date before its era's first day (令和元年4月1日) is an error, as is a day that does
 * not exist (令和7年2月30日) and any 和暦 date before 1873 (lunisolar calendar).
 * Throws `date-invalid` with a detail saying what is wrong and `{ value }` (what was typed).
 */
export function parseWareki(text: unknown, options: ParseWarekiOptions = {}): string {
  if (typeof text !== 'string') throw dateInvalid('The date must be text.', text);
  const s = toHalfWidthAscii(text)
    .replace(/[㋿㍻㍼㍽㍾]/g, (c) => ERA_SQUARES[c]!)
    .replace(DASH_LIKE, '-')
    .replace(/\s+/g, '');
  if (s === '') throw dateInvalid('The date is empty.', text);

  const graceYears = options.graceYears ?? OLD_ERA_GRACE_YEARS;
  let m = WAREKI_KANJI.exec(s);
  if (m) {
    const [, era, year, month, day] = m as unknown as [string, string, string, string, string];
    return fromEra(
      eraFor(era),
      readNumber(year, text),
      readNumber(month, text),
      readNumber(day, text),
      text,
      graceYears,
    );
  }
  m = WAREKI_SEPARATED.exec(s);
  if (m) {
    const [, era, year, , month, day] = m as unknown as [string, string, string, string, string, string];
    return fromEra(eraFor(era), readNumber(year, text), Number(month), Number(day), text, graceYears);
  }
  m = WESTERN_SEPARATED.exec(s);
  if (m) return formatIsoDate(checkCivilDate(Number(m[1]), Number(m[3]), Number(m[4]), text));
  m = WESTERN_KANJI.exec(s);
  if (m) {
    return formatIsoDate(
      checkCivilDate(readNumber(m[1]!, text), readNumber(m[2]!, text), readNumber(m[3]!, text), text),
    );
  }
  throw dateInvalid(
    'This is not a date Machi can read: write it like 令和7年4月1日, R7.4.1 or 2025-04-01.',
    text,
  );
}
