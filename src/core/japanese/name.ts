import { MachiError } from '../errors/index.ts';
import { halfwidthKanaToFullwidth } from './kana.ts';

/**
 * CJK Compatibility Ideographs (U+F900–U+FAFF and U+2F800–U+2FA1F). Most of them carry a
 * *canonical* singleton decomposition, so even NFC — not only NFKC — replaces them with the
 * unified ideograph: NFC turns 朗 U+F929 into 朗 U+6717 and 神 U+FA19 into 神 U+795E. For a
 * person's name in the registry that is a different 字形 the person may insist on (戸籍 and
 * 住民票 distinguish them; the 文字情報基盤 MJ character set keeps them apart), so we apply NFC
 * only to the text between such characters and leave them exactly as typed. Ideographic
 * Variation Sequences (U+E0100–U+E01EF after a kanji) are untouched by NFC and so preserved.
 */
const COMPATIBILITY_IDEOGRAPH = /([\uf900-\ufaff\u{2f800}-\u{2fa1f}])/u;

function nfcKeepingCompatibilityIdeographs(text: string): string {
  // split with a capturing group keeps the separators at the odd indexes.
  return text
    .split(COMPATIBILITY_IDEOGRAPH)
    .map((piece, i) => (i % 2 === 1 ? piece : piece.normalize('NFC')))
    .join('');
}

const LATIN = /[A-Za-z\u00c0-\u024f.'-]/;

/**
 * Normalises a name (氏名) typed by a person, without changing which characters it is written in:
 * - NFC, so the same kana or accented letter typed on different systems compares equal
 *   (but never NFKC, and not NFC on compatibility ideographs — see above);
 * - half-width katakana → full-width (ﾔﾏﾀﾞ → ヤマダ); hiragana, kanji and letters stay as typed;
 * - zero-width spaces and BOMs (pasted from other documents) removed;
 * - trimmed, and each run of spaces (half- or full-width, tabs, line breaks) becomes ONE space:
 *   a full-width space U+3000 — the separator between 氏 and 名 in Japanese registries — except
 *   between two Latin letters, where it becomes ' ' (SMITH JOHN stays as a foreign resident's
 *   name is written in the alphabet).
 * Throws `validation-failed` for an empty name or one containing control characters.
 */
export function normalizeName(text: unknown): string {
  if (typeof text !== 'string') throw new MachiError('validation-failed', 'The name must be text.');
  const composed = halfwidthKanaToFullwidth(nfcKeepingCompatibilityIdeographs(text)).replace(
    /[\u200b\ufeff]/g,
    '',
  );
  const control = [...composed].findIndex((c) => /[\p{Cc}]/u.test(c) && !/\s/.test(c));
  if (control >= 0) {
    throw new MachiError('validation-failed', 'The name contains a control character.', {
      position: control,
    });
  }
  const trimmed = composed.trim();
  if (trimmed === '') throw new MachiError('validation-failed', 'The name is empty.');
  return trimmed.replace(/\s+/g, (_run, offset: number) => {
    const before = trimmed[offset - 1] ?? '';
    const after = trimmed[offset + _run.length] ?? '';
    return LATIN.test(before) && LATIN.test(after) ? ' ' : '\u3000';
  });
}
