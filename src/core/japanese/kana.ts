import { MachiError } from '../errors/index.ts';

/**
 * Half-width katakana (JIS X 0201, U+FF61–U+FF9F) in code point order, and the full-width
 * characters they stand for. Old systems and some keyboards still produce them.
 */
const HALFWIDTH = '｡｢｣､･ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ';
const FULLWIDTH =
  '。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン';
const HALF_TO_FULL = new Map([...HALFWIDTH].map((c, i) => [c, FULLWIDTH[i]!]));

const FULL_TO_HALF = new Map([...FULLWIDTH].map((c, i) => [c, HALFWIDTH[i]!]));

/** Voiced (゛) and semi-voiced (゜) marks in their half-width, spacing and combining forms. */
const DAKUTEN = new Set(['ﾞ', '゛', '\u3099']);
const HANDAKUTEN = new Set(['ﾟ', '゜', '\u309a']);

/**
 * Joins a mark to the kana before it when Unicode has the precomposed letter: カ+゛ → ガ,
 * ハ+゜ → パ, ウ+゛ → ヴ, ワ+゛ → ヷ. NFC does the lookup, as every such letter canonically
 * decomposes into base + U+3099/U+309A. A mark that cannot join (ア+゛) stays as a spacing mark.
 */
function appendMark(out: string[], combining: '\u3099' | '\u309a'): void {
  const previous = out.at(-1);
  const joined = previous === undefined ? '' : (previous + combining).normalize('NFC');
  if (joined.length === 1) out[out.length - 1] = joined;
  else out.push(combining === '\u3099' ? '゛' : '゜');
}

function widen(text: string, hiragana: boolean): string {
  const out: string[] = [];
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (DAKUTEN.has(c)) appendMark(out, '\u3099');
    else if (HANDAKUTEN.has(c)) appendMark(out, '\u309a');
    else if (HALF_TO_FULL.has(c)) out.push(HALF_TO_FULL.get(c)!);
    // ぁ–ゖ and the iteration marks ゝゞ sit exactly 0x60 below their katakana.
    else if (hiragana && ((code >= 0x3041 && code <= 0x3096) || code === 0x309d || code === 0x309e))
      out.push(String.fromCharCode(code + 0x60));
    else out.push(c);
  }
  return out.join('');
}

/** Half-width katakana → full-width, joining ﾞ/ﾟ to the letter before (ｶﾞ → ガ). Hiragana is kept. */
export function halfwidthKanaToFullwidth(text: string): string {
  return widen(text, false);
}

/** Hiragana → katakana and half-width katakana → full-width: 'やまだ ﾀﾛｳ' → 'ヤマダ タロウ'. */
export function toKatakana(text: string): string {
  return widen(text, true);
}

/**
 * Full-width katakana and hiragana → half-width katakana, the one kana bank files (全銀) and
 * old systems accept: ガ → ｶﾞ, パ → ﾊﾟ, ヴ → ｳﾞ. Characters with no half-width form (ヵ, ヰ, kanji)
 * are kept, for the caller to refuse.
 */
export function toHalfwidthKatakana(text: string): string {
  const out: string[] = [];
  for (const c of toKatakana(text)) {
    const half = FULL_TO_HALF.get(c);
    if (half) {
      out.push(half);
      continue;
    }
    // A voiced letter decomposes into its base and a combining mark (NFD): ガ → カ + U+3099.
    const [base, mark] = [...c.normalize('NFD')];
    const baseHalf = base === undefined ? undefined : FULL_TO_HALF.get(base);
    if (baseHalf && mark === '\u3099') out.push(`${baseHalf}ﾞ`);
    else if (baseHalf && mark === '\u309a') out.push(`${baseHalf}ﾟ`);
    else if (c === '゛') out.push('ﾞ');
    else if (c === '゜') out.push('ﾟ');
    else out.push(c);
  }
  return out.join('');
}

// ァ (U+30A1) to ヺ (U+30FA): every full-width katakana letter, including ヴ, small ヵヶ and ヷ–ヺ.
const LETTER = '[\\u30a1-\\u30fa]';
const WORD = `${LETTER}(?:${LETTER}|ー)*`;
const PART = `${WORD}(?:・${WORD})*`;
const NAME = new RegExp(`^${PART}(?:[ \\u3000]${PART})*$`);
const ALLOWED_CHAR = /^[\u30a1-\u30faー・ \u3000]$/;

/**
 * A name in full-width katakana (フリガナ): letters and ー, ・ between the words of a foreign
 * name (スミス・ジョン), and single spaces between family and given name (and middle names).
 * A part may not start with ー, and ・ or a space may not be doubled, lead or trail.
 */
export function isKatakanaName(text: string): boolean {
  return NAME.test(text);
}

const codePointLabel = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Normalises a フリガナ typed by a person — hiragana and half-width katakana become
 * full-width katakana, NFD input (macOS) is composed, spaces are trimmed and each run of
 * half- or full-width spaces becomes one full-width space (the form 住民票 uses) — and returns
 * it, or throws `validation-failed` naming the first character that cannot be in such a name.
 * The error carries only that one character, never the name.
 */
export function normalizeKanaInput(text: unknown): string {
  if (typeof text !== 'string') throw new MachiError('validation-failed', 'The katakana name must be text.');
  const kana = toKatakana(text.trim())
    .replace(/\u00b7/g, '・')
    .replace(/[ \u3000]+/g, '\u3000');
  if (kana === '') throw new MachiError('validation-failed', 'The katakana name is empty.');
  if (isKatakanaName(kana)) return kana;
  const chars = [...kana];
  const position = chars.findIndex((c) => !ALLOWED_CHAR.test(c));
  if (position >= 0) {
    const character = chars[position]!;
    const hint = /[-\u2010-\u2015\u2212\uff0d]/.test(character) ? ' For a long vowel write ー (長音符).' : '';
    throw new MachiError(
      'validation-failed',
      `「${character}」 (${codePointLabel(character)}) cannot be used in a katakana name: use katakana, ー, ・ and a space between family and given name.${hint}`,
      { character, codePoint: codePointLabel(character), position },
    );
  }
  throw new MachiError(
    'validation-failed',
    'Each part of a katakana name must start with a katakana letter, and ・ may not be doubled or come first or last.',
  );
}
