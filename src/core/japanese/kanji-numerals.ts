/**
 * Kanji numerals as written in dates (令和七年四月一日, 昭和六十四年) and years (二〇二五年).
 * Two systems exist side by side: positional (二〇二五, one digit per place) and with the
 * multipliers 十/百/千 (二千二十五). 壱弐参拾 are the forms used in legal documents (大字).
 */
const DIGITS: Readonly<Record<string, number>> = {
  〇: 0,
  零: 0,
  一: 1,
  壱: 1,
  二: 2,
  弐: 2,
  三: 3,
  参: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNITS: Readonly<Record<string, number>> = { 十: 10, 拾: 10, 百: 100, 千: 1000 };

/** Every character `parseKanjiNumber` may read, for building patterns. */
export const KANJI_NUMERAL_CHARS = '〇零一壱二弐三参四五六七八九十拾百千';

/** Reads 0–9999 written in kanji, or returns undefined if the text is not a well-formed numeral. */
export function parseKanjiNumber(text: string): number | undefined {
  const chars = [...text];
  if (chars.length === 0) return undefined;
  if (chars.every((c) => c in DIGITS)) {
    // Positional: 二〇二五 → 2025. Four places are enough for a year.
    if (chars.length > 4) return undefined;
    return chars.reduce((n, c) => n * 10 + DIGITS[c]!, 0);
  }
  // With multipliers: each of 千, 百, 十 at most once, in that order, each with an optional
  // digit 1–9 before it (百 alone is 100). 〇 has no place here: 二千〇五 is not accepted.
  let total = 0;
  let pending: number | undefined;
  let lastUnit = Number.POSITIVE_INFINITY;
  for (const c of chars) {
    const digit = DIGITS[c];
    const unit = UNITS[c];
    if (digit !== undefined) {
      if (pending !== undefined || digit === 0) return undefined;
      pending = digit;
    } else if (unit !== undefined) {
      if (unit >= lastUnit) return undefined;
      total += (pending ?? 1) * unit;
      pending = undefined;
      lastUnit = unit;
    } else {
      return undefined;
    }
  }
  return total + (pending ?? 0);
}

const DIGIT_CHARS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;

/** 1–9999 with multipliers, the way dates are written in vertical text: 64 → 六十四, 2025 → 二千二十五. */
export function toKanjiNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 9999) throw new RangeError(`toKanjiNumber takes 0–9999, not ${n}`);
  if (n === 0) return '〇';
  let out = '';
  for (const [unit, mark] of [
    [1000, '千'],
    [100, '百'],
    [10, '十'],
  ] as const) {
    const digit = Math.floor(n / unit) % 10;
    if (digit > 0) out += (digit > 1 ? DIGIT_CHARS[digit] : '') + mark;
  }
  const ones = n % 10;
  return ones > 0 ? out + DIGIT_CHARS[ones] : out;
}
