/**
 * A TrueType font with no visible glyphs, written byte by byte, for the rebuilt PDF's invisible text
 * layer. Every character code maps to glyph 1, which is empty and one em wide; the PDF's /ToUnicode
 * CMap, not this font, says which characters the codes are. Embedding it (rather than naming a font
 * the reader must find) keeps viewers from complaining about a missing font, and lets any script,
 * Japanese included, be written with one tiny font. OCR tools (e.g. Tesseract's "GlyphLessFont")
 * use the same idea; this one is our own, built from the OpenType specification.
 */

const UNITS_PER_EM = 1000;
const ASCENT = 880;
const DESCENT = -120;
const FAMILY = 'MachiGlyphless';

/** A big-endian byte writer: the whole font is a few hundred bytes, so simplicity wins. */
class Writer {
  readonly bytes: number[] = [];
  u8(v: number): this {
    this.bytes.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v >> 8).u8(v);
  }
  i16(v: number): this {
    return this.u16(v < 0 ? v + 0x10000 : v);
  }
  u32(v: number): this {
    return this.u16(Math.floor(v / 0x10000) & 0xffff).u16(v & 0xffff);
  }
  zeros(n: number): this {
    for (let i = 0; i < n; i++) this.u8(0);
    return this;
  }
}

function head(): number[] {
  return new Writer()
    .u32(0x00010000) // version
    .u32(0x00010000) // fontRevision
    .u32(0) // checkSumAdjustment, patched once the whole font is known
    .u32(0x5f0f3cf5) // magicNumber
    .u16(0b1011) // flags: baseline at y=0, lsb at x=0, integer ppem
    .u16(UNITS_PER_EM)
    .zeros(16) // created, modified
    .i16(0) // xMin
    .i16(DESCENT) // yMin
    .i16(UNITS_PER_EM) // xMax
    .i16(ASCENT) // yMax
    .u16(0) // macStyle
    .u16(8) // lowestRecPPEM
    .i16(2) // fontDirectionHint
    .i16(0) // indexToLocFormat: short offsets
    .i16(0).bytes; // glyphDataFormat
}

function hhea(): number[] {
  const w = new Writer().u32(0x00010000).i16(ASCENT).i16(DESCENT).i16(0).u16(UNITS_PER_EM);
  w.i16(0)
    .i16(0)
    .i16(0) // min lsb, min rsb, xMaxExtent
    .i16(1)
    .i16(0)
    .i16(0) // caret slope rise/run, caret offset
    .zeros(8) // reserved
    .i16(0) // metricDataFormat
    .u16(2); // numberOfHMetrics
  return w.bytes;
}

function maxp(): number[] {
  const w = new Writer().u32(0x00010000).u16(2); // version 1.0, numGlyphs
  w.zeros(8).u16(2).zeros(16); // no points/contours; maxZones 2; the rest 0
  return w.bytes;
}

function os2(): number[] {
  const w = new Writer().u16(4).i16(UNITS_PER_EM).u16(400).u16(5).u16(0); // fsType 0: installable
  w.zeros(20).i16(0).zeros(10).zeros(16); // sub/superscript, strikeout; family class; panose; unicode ranges
  for (const c of 'NONE') w.u8(c.charCodeAt(0)); // achVendID
  w.u16(0x40).u16(0x20).u16(0xffff); // fsSelection REGULAR, first/last char
  w.i16(ASCENT).i16(DESCENT).i16(0).u16(ASCENT).u16(-DESCENT);
  w.u32(1).u32(0); // code page ranges: Latin 1 (a value is required; the font maps no real glyphs)
  w.i16(0).i16(0).u16(0).u16(0x20).u16(1); // xHeight, capHeight, default char, break char, max context
  return w.bytes;
}

/** A format-4 cmap mapping only the space to glyph 1: PDF viewers use the CIDToGIDMap instead. */
function cmap(): number[] {
  const w = new Writer().u16(0).u16(1).u16(3).u16(1).u32(12);
  w.u16(4).u16(32).u16(0).u16(4).u16(4).u16(1).u16(0); // format, length, language, segX2, search…
  w.u16(0x20).u16(0xffff).u16(0).u16(0x20).u16(0xffff); // endCodes, pad, startCodes
  w.i16(1 - 0x20)
    .i16(1)
    .u16(0)
    .u16(0); // idDeltas, idRangeOffsets
  return w.bytes;
}

function name(): number[] {
  const records: Array<[number, string]> = [
    [1, FAMILY],
    [2, 'Regular'],
    [3, `${FAMILY}-Regular`],
    [4, FAMILY],
    [6, FAMILY],
  ];
  const w = new Writer()
    .u16(0)
    .u16(records.length)
    .u16(6 + 12 * records.length);
  let offset = 0;
  for (const [id, text] of records) {
    w.u16(3)
      .u16(1)
      .u16(0x409)
      .u16(id)
      .u16(text.length * 2)
      .u16(offset);
    offset += text.length * 2;
  }
  for (const [, text] of records) for (const c of text) w.u16(c.charCodeAt(0));
  return w.bytes;
}

function post(): number[] {
  return new Writer().u32(0x00030000).u32(0).i16(-100).i16(50).u32(1).zeros(16).bytes;
}

function checksum(bytes: Uint8Array, start: number, length: number): number {
  let sum = 0;
  for (let i = 0; i < length; i += 4) {
    const word =
      ((bytes[start + i] ?? 0) << 24) |
      ((bytes[start + i + 1] ?? 0) << 16) |
      ((bytes[start + i + 2] ?? 0) << 8) |
      (bytes[start + i + 3] ?? 0);
    sum = (sum + (word >>> 0)) >>> 0;
  }
  return sum;
}

let cached: Uint8Array | undefined;

/** The font file (about 600 bytes), built once. */
export function glyphlessFont(): Uint8Array {
  if (cached) return cached;
  const advance = new Writer().u16(UNITS_PER_EM).i16(0).u16(UNITS_PER_EM).i16(0).bytes;
  const tables: Array<[string, number[]]> = [
    ['OS/2', os2()],
    ['cmap', cmap()],
    ['glyf', [0, 0, 0, 0]], // both glyphs are empty (zero-length in loca); a 4-byte table keeps parsers calm
    ['head', head()],
    ['hhea', hhea()],
    ['hmtx', advance],
    ['loca', [0, 0, 0, 0, 0, 0, 0, 0]], // short offsets: three zeros (plus padding)
    ['maxp', maxp()],
    ['name', name()],
    ['post', post()],
  ];
  const n = tables.length;
  const pow2 = 2 ** Math.floor(Math.log2(n));
  const dir = new Writer()
    .u32(0x00010000)
    .u16(n)
    .u16(pow2 * 16)
    .u16(Math.log2(pow2))
    .u16(n * 16 - pow2 * 16);
  let offset = 12 + 16 * n;
  const layout = tables.map(([tag, data]) => {
    const at = offset;
    offset += (data.length + 3) & ~3;
    return { tag, data, at };
  });
  const out = new Uint8Array(offset);
  for (const { data, at } of layout) out.set(data, at);
  for (const { tag, data, at } of layout) {
    for (const c of tag) dir.u8(c.charCodeAt(0));
    dir
      .u32(checksum(out, at, data.length))
      .u32(at)
      .u32(data.length);
  }
  out.set(dir.bytes, 0);
  const headAt = layout.find((t) => t.tag === 'head')!.at;
  const adjust = (0xb1b0afba - checksum(out, 0, out.length)) >>> 0;
  new DataView(out.buffer).setUint32(headAt + 8, adjust);
  cached = out;
  return out;
}
