import {
  findMunicipality,
  type LgCode,
  normalizeName,
  parseKanjiNumber,
  toHalfWidthAscii,
} from '../../../core/index.ts';

/**
 * Forms of a name and an address in which two writings of the same thing compare equal, for
 * checking a certificate's 基本4情報 against the registry. Conservative by design: a false
 * "match" would vouch for the wrong person, a false "mismatch" only sends a clerk to look, so
 * only differences of writing that cannot change the meaning are folded. 旧字体/異体字
 * (髙/高, 邊/辺) are NOT folded: they may be the very 字形 the person is registered under.
 */

/**
 * 氏名: full-width Latin letters and spaces folded (ＳＭＩＴＨ = SMITH), then the core's
 * normalizeName (NFC but never on compatibility ideographs, half-width kana widened, one
 * U+3000 between 氏 and 名). A space still separates 氏 from 名: 佐藤花子 ≠ 佐藤　花子.
 * null for text normalizeName refuses (empty, control characters).
 */
export function comparableName(text: string): string | null {
  try {
    return normalizeName(toHalfWidthAscii(text));
  } catch {
    return null;
  }
}

const KANJI_DIGITS = '〇零一壱二弐三参四五六七八九十拾百千';
const NUMBER = `[0-9${KANJI_DIGITS}]`;
/**
 * A run of kanji numerals that numbers a 丁目, a 番(地) followed by the next number (or ending
 * the street part), a 号 (not 号室, a room) or a hyphenated part. 一番町 and 二番町 are town
 * names: 番 there is followed by 町, so their numerals stay kanji.
 */
const KANJI_BLOCK_NUMBER = new RegExp(
  `[${KANJI_DIGITS}]+(?=丁目|番地?(?:の?${NUMBER}|-|\\s|$)|号(?!室)|-)`,
  'g',
);
/** Dashes people type between numbers (U+2010–U+2015, minus sign); ー/ｰ only between digits. */
const DASHES = /[\u2010-\u2015\u2212]/g;
const LONG_VOWEL_BETWEEN_DIGITS = /(?<=\d)[ーｰ](?=\d)/g;

/**
 * 住所 within one municipality: NFC, full-width ASCII folded, dashes unified, kanji block
 * numbers as digits, and 丁目・番(地)・号 written the hyphen way, so 千代田一丁目1番1号,
 * 千代田１丁目１－１ and 千代田1-1-1 compare equal. Building names and rooms are left as they
 * are (one space kept between street and building). Not folded: 大字/字, ヶ/ケ/が, 之/の —
 * they differ between places as often as between writings.
 */
export function comparableAddress(text: string): string {
  const folded = toHalfWidthAscii(text.normalize('NFC'))
    .replace(/[\u200b\ufeff]/g, '')
    .replace(DASHES, '-')
    .replace(LONG_VOWEL_BETWEEN_DIGITS, '-')
    .replace(/\s+/g, ' ')
    .trim();
  const digits = folded.replace(KANJI_BLOCK_NUMBER, (run) => String(parseKanjiNumber(run) ?? run));
  return digits
    .replace(/(\d+)丁目/g, '$1-')
    .replace(/(\d+)番地?の?(?=\d)/g, '$1-')
    .replace(/(\d+)番地?(?=\s|$)/g, '$1')
    .replace(/(\d+)号(?!室)/g, '$1')
    .replace(/(\d+)の(?=\d)/g, '$1-')
    .replace(/ ?- ?/g, '-')
    .replace(/-+/g, '-');
}

/**
 * The address as the registry keeps it (within the municipality) from an address written
 * whole, as a signing certificate carries it: 都道府県 and 市区町村 first (see jpki's
 * issue-card), or for a ward of a designated city (政令指定都市) also without the 都道府県,
 * as 住民票 there are often written. undefined when it names no place of this municipality.
 */
export function addressWithinMunicipality(whole: string, municipalityCode: LgCode): string | undefined {
  const town = findMunicipality(municipalityCode);
  const text = toHalfWidthAscii(whole.normalize('NFC')).trim();
  const prefixes =
    town.kind === 'prefecture'
      ? [town.prefecture]
      : town.kind === 'ward'
        ? [`${town.prefecture}${town.name}`, town.name]
        : [`${town.prefecture}${town.name}`];
  const prefix = prefixes.find((candidate) => text.startsWith(candidate));
  return prefix === undefined ? undefined : text.slice(prefix.length).trim();
}
