import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, isRefusal, type RefusalReason } from '../types.ts';
import { openZip, writeZip } from './index.ts';
import { rawZip } from './test-bombs.ts';

const text = (s: string) => new TextEncoder().encode(s);

function refusal(fn: () => unknown): { reason: RefusalReason; message: string } {
  try {
    fn();
  } catch (error) {
    if (isRefusal(error)) return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

/** Offsets of a signature in the bytes (tests only: the reader never scans like this). */
function find(bytes: Uint8Array, signature: number, from = 0): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = from; i + 4 <= bytes.length; i++) if (view.getUint32(i, true) === signature) return i;
  return -1;
}

function patch(bytes: Uint8Array, fn: (view: DataView) => void): Uint8Array {
  const copy = bytes.slice();
  fn(new DataView(copy.buffer));
  return copy;
}

const sample = () =>
  writeZip([
    { name: 'a.txt', data: text('hello '.repeat(100)) },
    { name: 'dir/申請書.txt', data: text('申請書') },
    { name: 'tiny', data: Uint8Array.of(1) },
  ]);

describe('writeZip and openZip', () => {
  it('round-trips, deterministically, with UTF-8 names', () => {
    const bytes = sample();
    expect(sample()).toEqual(bytes);
    const zip = openZip(bytes, DEFAULT_LIMITS);
    expect(zip.entries.map((e) => e.name)).toEqual(['a.txt', 'dir/申請書.txt', 'tiny']);
    expect(new TextDecoder().decode(zip.read(zip.get('DIR/申請書.TXT')!))).toBe('申請書');
    expect(zip.read(zip.get('a.txt')!).length).toBe(600);
    expect(zip.entries[0]!.method).toBe(8);
    expect(zip.entries[2]!.method).toBe(0);
  });

  it('reads archives written by another implementation (fflate), with a comment', () => {
    const bytes = zipSync(
      { 'x/y.xml': strToU8('<a/>'), 'z.bin': new Uint8Array(5000) },
      { comment: 'PK\x05\x06 hi' },
    );
    const zip = openZip(bytes, DEFAULT_LIMITS);
    expect(zip.read(zip.get('z.bin')!)).toEqual(new Uint8Array(5000));
    expect(zip.peek(zip.get('x/y.xml')!, 2)).toEqual(strToU8('<a'));
  });
});

describe('openZip refuses', () => {
  const cdAt = (b: Uint8Array) => find(b, 0x02014b50);

  it('encrypted entries', () => {
    const b = patch(sample(), (v) => {
      v.setUint16(cdAt(sample()) + 8, 1, true);
      v.setUint16(6, 1, true);
    });
    expect(refusal(() => openZip(b, DEFAULT_LIMITS)).reason).toBe('encrypted');
  });

  it('unknown compression methods', () => {
    const b = patch(sample(), (v) => {
      v.setUint16(cdAt(sample()) + 10, 12, true); // bzip2
      v.setUint16(8, 12, true);
    });
    expect(refusal(() => openZip(b, DEFAULT_LIMITS)).message).toMatch(/method 12/);
  });

  it.each(['../evil.txt', '/etc/passwd', 'a\\b.txt', 'C:/x.txt', 'a/../../b', 'a//b', 'ok/./x'])(
    'the unsafe name %s',
    (name) => {
      const b = rawZip([{ name, method: 0, crc: 0, compressed: new Uint8Array(0), size: 0 }]);
      expect(refusal(() => openZip(b, DEFAULT_LIMITS)).reason).toBe('malformed');
    },
  );

  it('duplicate names, compared case-insensitively', () => {
    const entry = { method: 0, crc: 0, compressed: new Uint8Array(0), size: 0 };
    const b = rawZip([
      { ...entry, name: 'word/document.xml' },
      { ...entry, name: 'WORD/Document.xml' },
    ]);
    expect(refusal(() => openZip(b, DEFAULT_LIMITS)).message).toMatch(/duplicate/);
  });

  it('more entries than the limit', () => {
    expect(refusal(() => openZip(sample(), { ...DEFAULT_LIMITS, maxEntries: 2 })).reason).toBe(
      'too-many-entries',
    );
  });

  it('a local header that disagrees with the central directory', () => {
    const b = sample();
    const nameAt = 30; // first local header's name
    const c = b.slice();
    c[nameAt] = 'b'.charCodeAt(0);
    expect(refusal(() => openZip(c, DEFAULT_LIMITS)).message).toMatch(/disagree/);
  });

  it('trailing data, a prefix, truncation and a CRC mismatch', () => {
    const b = sample();
    const trailing = new Uint8Array(b.length + 3);
    trailing.set(b);
    expect(refusal(() => openZip(trailing, DEFAULT_LIMITS)).reason).toBe('malformed');
    const prefixed = new Uint8Array(b.length + 3);
    prefixed.set(b, 3);
    expect(refusal(() => openZip(prefixed, DEFAULT_LIMITS)).reason).toBe('malformed');
    expect(refusal(() => openZip(b.subarray(0, b.length - 30), DEFAULT_LIMITS)).reason).toBe('malformed');
    expect(refusal(() => openZip(text('not a zip at all, not at all'), DEFAULT_LIMITS)).reason).toBe(
      'malformed',
    );
    const badCrc = patch(b, (v) => {
      v.setUint32(14, v.getUint32(14, true) ^ 1, true);
      v.setUint32(cdAt(b) + 16, v.getUint32(cdAt(b) + 16, true) ^ 1, true);
    });
    const zip = openZip(badCrc, DEFAULT_LIMITS);
    expect(refusal(() => zip.read(zip.entries[0]!)).message).toMatch(/CRC/);
  });

  it('ZIP64', () => {
    const b = patch(sample(), (v) => v.setUint32(find(sample(), 0x06054b50) + 16, 0xffffffff, true));
    expect(refusal(() => openZip(b, DEFAULT_LIMITS)).message).toMatch(/ZIP64/);
  });

  it('an entry that inflates to more than it declares', () => {
    const data = text('x'.repeat(10_000));
    const honest = writeZip([{ name: 'x.txt', data }]);
    const lying = patch(honest, (v) => {
      v.setUint32(22, 100, true);
      v.setUint32(cdAt(honest) + 24, 100, true);
    });
    const zip = openZip(lying, DEFAULT_LIMITS);
    expect(refusal(() => zip.read(zip.entries[0]!)).message).toMatch(/more than its declared/);
  });
});
