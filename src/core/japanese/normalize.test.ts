import { describe, expect, it } from 'vitest';
import { normalizeName } from './name.ts';
import { formatPostalCode, normalizePostalCode } from './postal-code.ts';
import { normalizeDigitsAndLetters, toHalfWidthAscii } from './width.ts';

describe('normalizeDigitsAndLetters', () => {
  it('folds full-width digits, letters and space only', () => {
    expect(normalizeDigitsAndLetters('０１２ＡＢＣ')).toBe('012ABC');
    expect(normalizeDigitsAndLetters('ａｂｃ\u3000ｘｙｚ')).toBe('abc xyz');
    // Punctuation, kana, circled digits and era squares are left for other functions to judge.
    expect(normalizeDigitsAndLetters('１－２／ｶﾅ①㍻')).toBe('1－2／ｶﾅ①㍻');
    expect(toHalfWidthAscii('１－２／Ｘ！')).toBe('1-2/X!');
  });
});

describe('normalizePostalCode', () => {
  it('accepts the ways people type a postal code', () => {
    for (const typed of [
      '1000001',
      '100-0001',
      '〒100-0001',
      '〒 100-0001',
      '１００－０００１',
      '〒１００ー０００１',
      '100 0001',
      '100‐0001',
      '100−0001',
      ' 100-0001 ',
    ]) {
      expect(normalizePostalCode(typed), typed).toBe('1000001');
    }
    expect(formatPostalCode('１０００００１')).toBe('100-0001');
  });

  it('refuses anything else', () => {
    for (const bad of [
      '',
      '100-001',
      '10000001',
      '1000-001',
      '100--0001',
      '100-000a',
      '〒',
      '一〇〇-〇〇〇一',
    ]) {
      expect(() => normalizePostalCode(bad), bad).toThrowError(
        expect.objectContaining({ code: 'validation-failed' }),
      );
    }
    expect(() => normalizePostalCode(1000001)).toThrowError(/must be text/);
  });
});

describe('normalizeName', () => {
  it('trims and joins family and given name with one full-width space', () => {
    expect(normalizeName('  山田   太郎 ')).toBe('山田\u3000太郎');
    expect(normalizeName('山田\u3000\u3000太郎')).toBe('山田\u3000太郎');
    expect(normalizeName('山田\t太郎')).toBe('山田\u3000太郎');
  });

  it('keeps a half-width space between Latin words', () => {
    expect(normalizeName('SMITH   JOHN')).toBe('SMITH JOHN');
    expect(normalizeName("O'BRIEN\u3000MARY ANN")).toBe("O'BRIEN MARY ANN");
    expect(normalizeName('SMITH 太郎')).toBe('SMITH\u3000太郎');
  });

  it('composes NFD text and widens half-width katakana', () => {
    expect(normalizeName('やまだ'.normalize('NFD'))).toBe('やまだ');
    expect(normalizeName('José'.normalize('NFD'))).toBe('José');
    expect(normalizeName('ﾔﾏﾀﾞ ﾀﾛｳ')).toBe('ヤマダ\u3000タロウ');
  });

  it('keeps CJK compatibility ideographs and variation sequences as typed (NFC would not)', () => {
    // U+F929 朗 and U+FA19 神 are folded to U+6717 / U+795E by NFC itself.
    expect('\uf929'.normalize('NFC')).toBe('\u6717');
    expect(normalizeName('\uf929')).toBe('\uf929');
    expect(normalizeName('山田 \ufa19')).toBe('山田\u3000\ufa19');
    expect(normalizeName('\u{2f800}')).toBe('\u{2f800}');
    // 葛 with IVS selector U+E0100.
    expect(normalizeName('葛\u{e0100}西')).toBe('葛\u{e0100}西');
    // and none of NFKC's compatibility folding: ㈱ stays, Ⅱ and full-width letters stay.
    expect('㈱'.normalize('NFKC')).toBe('(株)');
    expect(normalizeName('㈱山田')).toBe('㈱山田');
    expect(normalizeName('ⅡＢ')).toBe('ⅡＢ');
  });

  it('drops zero-width characters and refuses empty names and control characters', () => {
    expect(normalizeName('\ufeff山田\u200b太郎')).toBe('山田太郎');
    expect(() => normalizeName(' \u3000 ')).toThrowError('The name is empty.');
    expect(() => normalizeName('山田\u0000')).toThrowError(/control character/);
    expect(() => normalizeName(42)).toThrowError(expect.objectContaining({ code: 'validation-failed' }));
  });
});
