/**
 * Full-width (全角) ASCII folding. Japanese keyboards type ０１２ＡＢＣ as readily as 012ABC, and
 * the two must compare equal. We fold by code point arithmetic on the Halfwidth and Fullwidth
 * Forms block (U+FF01–U+FF5E = U+0021–U+007E + 0xFEE0) instead of NFKC: NFKC would also rewrite
 * ㈱, ①, ㍻, half-width katakana and CJK compatibility ideographs, which is not what a digit
 * field asked for (and is wrong for names — see name.ts).
 */
const FULLWIDTH_OFFSET = 0xfee0;

/** ０-９ Ａ-Ｚ ａ-ｚ and the ideographic space U+3000 → their ASCII forms; everything else untouched. */
export function normalizeDigitsAndLetters(text: string): string {
  return text.replace(/[０-９Ａ-Ｚａ-ｚ\u3000]/g, (c) =>
    c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - FULLWIDTH_OFFSET),
  );
}

/** Every full-width ASCII character (digits, letters and punctuation such as －／．) and U+3000 → ASCII. */
export function toHalfWidthAscii(text: string): string {
  return text.replace(/[\uff01-\uff5e\u3000]/g, (c) =>
    c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - FULLWIDTH_OFFSET),
  );
}

/**
 * Characters people type for a hyphen in numbers such as postal codes: hyphen-minus, hyphen,
 * non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign, full-width
 * hyphen-minus, and the katakana long vowel marks ー/ｰ (an IME in kana mode types those for "-").
 */
export const DASH_LIKE = /[-\u2010-\u2015\u2212\uff0d\u30fc\uff70]/g;
