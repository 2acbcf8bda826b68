import { describe, expect, it } from 'vitest';
import { decodeText } from './decode-text.ts';
import { detectType } from './detect-type.ts';

const bytes = (...values: number[]) => new Uint8Array(values);
const text = (value: string) => new TextEncoder().encode(value);
// 「申請書」 in Shift_JIS; ① is an NEC extension only CP932 has.
const SJIS = bytes(0x90, 0x5c, 0x90, 0xbf, 0x8f, 0x91);
const CP932 = bytes(0x87, 0x40);

describe('detectType: by content, never by name', () => {
  it.each([
    ['pdf', text('%PDF-1.7\n%âãÏÓ\n')],
    ['pdf', text(`${' '.repeat(500)}%PDF-1.4\n`)],
    ['jpeg', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16)],
    ['png', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13)],
    ['tiff', bytes(0x49, 0x49, 0x2a, 0, 8, 0, 0, 0)],
    ['tiff', bytes(0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8)],
    ['heif', bytes(0, 0, 0, 24, ...text('ftypheic'), 0, 0, 0, 0, ...text('mif1heic'))],
    ['heif', bytes(0, 0, 0, 20, ...text('ftypXXXX'), 0, 0, 0, 0, ...text('mif1'))],
    ['gif', text('GIF89a\x01\x00')],
    ['webp', bytes(...text('RIFF'), 0, 0, 0, 0, ...text('WEBPVP8 '))],
    ['zip', bytes(0x50, 0x4b, 0x03, 0x04, 20, 0)],
    ['zip', bytes(0x1f, 0x8b, 8, 0)],
    ['zip', bytes(...text('Rar!\x1a\x07\x00'))],
    ['ole', bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)],
    ['executable', text('MZ\x90\x00\x03')],
    ['executable', bytes(0x7f, 0x45, 0x4c, 0x46, 2, 1)],
    ['executable', bytes(0xcf, 0xfa, 0xed, 0xfe)],
    ['script', text('#!/bin/sh\nrm -rf /\n')],
    ['svg', text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    [
      'svg',
      text('<?xml version="1.0"?>\n<!-- x -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n<svg/>'),
    ],
    ['html', text('<!doctype html><html><body>hi</body></html>')],
    ['html', text('  <script>alert(1)</script>')],
    ['csv', text('氏名,住所,電話\n山田,千代田区,03-1234-5678\n佐藤,港区,03-9876-5432\n')],
    ['csv', text('a\tb\tc\n1\t2\t3\n')],
    ['csv', text('"名前","備考"\n"山田","改行\nあり"\n"佐藤","なし"\n')],
    ['text', text('申請の件で連絡します。よろしくお願いします。\n')],
    ['text', text('Hello, world.\nThis is a letter, with commas, here and there.\nBye\n')],
    ['csv', bytes(...SJIS, 0x2c, ...SJIS, 0x0a, ...SJIS, 0x2c, ...SJIS, 0x0a)],
    ['unknown', bytes(0, 1, 2, 3, 0, 0, 0, 0, 0xff, 0xfe, 0x00)],
    ['unknown', new Uint8Array(0)],
  ] as const)('%s', (expected, input) => {
    expect(detectType(input)).toBe(expected);
  });

  it('prefers the signature at the start over a PDF header hidden further in', () => {
    const polyglot = new Uint8Array([0xff, 0xd8, 0xff, 0xe1, ...text('%PDF-1.4 hidden')]);
    expect(detectType(polyglot)).toBe('jpeg');
  });
});

describe('decodeText', () => {
  it('reads UTF-8 with and without a BOM, UTF-16 with one, Shift_JIS and CP932', () => {
    expect(decodeText(text('申請'))).toEqual({ text: '申請', encoding: 'utf-8' });
    expect(decodeText(bytes(0xef, 0xbb, 0xbf, ...text('申請')))).toEqual({
      text: '申請',
      encoding: 'utf-8-bom',
    });
    expect(decodeText(bytes(0xff, 0xfe, 0x33, 0x75))).toEqual({ text: '申', encoding: 'utf-16le' });
    expect(decodeText(SJIS)).toEqual({ text: '申請書', encoding: 'shift_jis' });
    expect(decodeText(bytes(...SJIS, ...CP932))).toEqual({ text: '申請書①', encoding: 'cp932' });
  });

  it('does not take binary data for text', () => {
    expect(decodeText(bytes(0x41, 0, 0x42))).toBeUndefined();
    expect(decodeText(bytes(0x82))).toBeUndefined();
    expect(decodeText(bytes(0x82), { partial: true })).toBeDefined();
  });
});
