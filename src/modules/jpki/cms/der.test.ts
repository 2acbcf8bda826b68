import { describe, expect, it } from 'vitest';
import { childrenOf, contentsOf, derTags, oidOf, readElement } from './der.ts';

const bytes = (hex: string) => new Uint8Array(Buffer.from(hex.replaceAll(' ', ''), 'hex'));

describe('the DER element reader', () => {
  it('reads short and long lengths and the children of a SEQUENCE', () => {
    const long = `30 81 86 04 81 80 ${'ab'.repeat(128)} 02 01 05`;
    const outer = readElement(bytes(long), 0);
    expect(outer).toMatchObject({ tag: derTags.sequence, contentStart: 3, end: 137 });
    const [octets, integer] = childrenOf(outer);
    expect(contentsOf(octets!)).toHaveLength(128);
    expect([...contentsOf(integer!)]).toEqual([5]);
  });

  it('reads the indefinite form (BER) up to its end-of-contents octets', () => {
    const element = readElement(bytes('30 80 02 01 01 30 80 02 01 02 00 00 00 00 ff'), 0);
    expect(element.end).toBe(14);
    const [, inner] = childrenOf(element);
    expect(childrenOf(inner!).map((child) => contentsOf(child)[0])).toEqual([2]);
  });

  it('decodes object identifiers', () => {
    // 1.2.840.113549.1.7.2 (signedData) and 2.5.29.14 (subjectKeyIdentifier)
    expect(oidOf(readElement(bytes('06 09 2a 86 48 86 f7 0d 01 07 02'), 0))).toBe('1.2.840.113549.1.7.2');
    expect(oidOf(readElement(bytes('06 03 55 1d 0e'), 0))).toBe('2.5.29.14');
  });

  it.each([
    ['a truncated header', '30'],
    ['contents longer than the input', '30 05 02 01 01'],
    ['a child running past its parent', '30 03 04 05 00 00 00 00 00'],
    ['a length of more than four octets', '04 85 01 00 00 00 00'],
    ['the indefinite form on a primitive', '04 80 00 00'],
    ['the indefinite form without its end', '30 80 02 01 01'],
    ['a high tag number', '1f 81 00 00'],
    ['an unfinished object identifier', '06 02 2a 86'],
  ])('refuses %s', (_, hex) => {
    expect(() => {
      const element = readElement(bytes(hex), 0);
      if (element.tag === derTags.oid) oidOf(element);
      else if (element.tag & 0x20) childrenOf(element);
    }).toThrow(/ASN\.1/);
  });

  it('refuses hostile nesting instead of exhausting the stack', () => {
    const deep = bytes(`${'30 80 '.repeat(10_000)}${'00 00 '.repeat(10_000)}`);
    expect(() => readElement(deep, 0)).toThrow(/nested too deeply/);
  });
});
