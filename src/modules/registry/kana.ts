import { MachiError, normalizeKanaInput, toKatakana } from '../../core/index.ts';

/**
 * Kana as a search term: hiragana and half-width katakana become full-width katakana
 * (core `toKatakana`), and each run of spaces (half- or full-width) one ASCII space, so
 * "やまだ　たろう" splits into family and given name.
 */
export function normalizeKana(input: string): string {
  return toKatakana(input.normalize('NFC'))
    .replace(/[\s\u3000]+/g, ' ')
    .trim();
}

/**
 * A フリガナ to store: full-width katakana in the form the CSV import also writes (core
 * `normalizeKanaInput`), or `validation-failed` naming the field.
 */
export function storedKana(input: string, field: string): string {
  try {
    const kana = normalizeKanaInput(input);
    if (kana.length > 100) throw new MachiError('validation-failed', 'too long');
    return kana;
  } catch (error) {
    if (!(error instanceof MachiError)) throw error;
    throw new MachiError('validation-failed', `${field} must be written in kana (at most 100 characters).`, {
      field,
    });
  }
}
