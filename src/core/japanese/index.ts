// Japanese dates (和暦, 年度) and normalisation of text people type (full-width, kana, names, postal codes).
export {
  addDays,
  ageOn,
  type CivilDate,
  daysInMonth,
  endOfMonthAfter,
  formatIsoDate,
  isLeapYear,
  isValidCivilDate,
  parseCivilDate,
  parseIsoDate,
  todayInTokyo,
  toIsoDate,
  tokyoDateTime,
} from './calendar.ts';
export {
  type Era,
  eras,
  type FormatEraYearOptions,
  type FormatWarekiOptions,
  formatEraYear,
  formatWareki,
  GREGORIAN_ADOPTION,
  type WarekiDate,
  warekiOf,
} from './era.ts';
export {
  type FiscalYearRange,
  type FormatFiscalYearOptions,
  fiscalYearOf,
  fiscalYearRange,
  formatFiscalYear,
  parseFiscalYear,
} from './fiscal-year.ts';
export {
  halfwidthKanaToFullwidth,
  isKatakanaName,
  normalizeKanaInput,
  toHalfwidthKatakana,
  toKatakana,
} from './kana.ts';
export { parseKanjiNumber, toKanjiNumber } from './kanji-numerals.ts';
export { normalizeName } from './name.ts';
export { formatPostalCode, normalizePostalCode } from './postal-code.ts';
export { OLD_ERA_GRACE_YEARS, type ParseWarekiOptions, parseWareki } from './wareki-parse.ts';
export { normalizeDigitsAndLetters, toHalfWidthAscii } from './width.ts';
