/**
 * Works around a subsetting bug, once per font file: @pdf-lib/fontkit 1.1.1 copies each glyph's
 * bytes as they are and, when the subset's glyph data is under 64 KB, writes the short `loca`
 * format, which stores every offset divided by two (OpenType spec, 'loca' table). A glyph of odd
 * length then shifts every glyph after it by one byte, and viewers draw those glyphs as nothing
 * (the text still extracts, so only looking at the page shows it). BIZ UD明朝 has 6,336 glyphs
 * of odd length. The font is therefore rewritten with every glyph padded to a multiple of four
 * bytes — the alignment the spec recommends anyway — so that any subset has even offsets.
 *
 * Only the 'glyf', 'loca' and 'head' tables change; table checksums and head.checkSumAdjustment
 * are recomputed as the spec defines them. A font that is not TrueType-outline is returned as is.
 */

const pad4 = (length: number) => (length + 3) & ~3;

/** The OpenType table checksum: the sum of its big-endian uint32s, zero-padded, modulo 2^32. */
function checksum(bytes: Uint8Array): number {
  const padded = new Uint8Array(pad4(bytes.length));
  padded.set(bytes);
  const view = new DataView(padded.buffer);
  let sum = 0;
  for (let offset = 0; offset < padded.length; offset += 4) sum = (sum + view.getUint32(offset)) >>> 0;
  return sum;
}

export function withAlignedGlyphs(font: Uint8Array): Uint8Array {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  if (view.getUint32(0) !== 0x00010000) return font;
  const count = view.getUint16(4);
  const tables = new Map<string, Uint8Array>();
  const order: string[] = [];
  for (let i = 0; i < count; i++) {
    const entry = 12 + 16 * i;
    const tag = String.fromCharCode(...font.subarray(entry, entry + 4));
    const offset = view.getUint32(entry + 8);
    tables.set(tag, font.subarray(offset, offset + view.getUint32(entry + 12)));
    order.push(tag);
  }
  const head = tables.get('head');
  const maxp = tables.get('maxp');
  const loca = tables.get('loca');
  const glyf = tables.get('glyf');
  if (!head || !maxp || !loca || !glyf) return font;

  const headView = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const longOffsets = headView.getInt16(50) === 1;
  const locaView = new DataView(loca.buffer, loca.byteOffset, loca.byteLength);
  const glyphs = new DataView(maxp.buffer, maxp.byteOffset).getUint16(4);
  const offsetOf = (i: number) => (longOffsets ? locaView.getUint32(4 * i) : 2 * locaView.getUint16(2 * i));

  // New glyph data, each glyph padded to four bytes, and its offsets in the long format.
  const newLoca = new Uint8Array(4 * (glyphs + 1));
  const newLocaView = new DataView(newLoca.buffer);
  const pieces: Uint8Array[] = [];
  let position = 0;
  for (let i = 0; i < glyphs; i++) {
    const data = glyf.subarray(offsetOf(i), offsetOf(i + 1));
    newLocaView.setUint32(4 * i, position);
    pieces.push(data);
    position += pad4(data.length);
  }
  newLocaView.setUint32(4 * glyphs, position);
  const newGlyf = new Uint8Array(position);
  let at = 0;
  for (const piece of pieces) {
    newGlyf.set(piece, at);
    at += pad4(piece.length);
  }
  const newHead = new Uint8Array(head);
  const newHeadView = new DataView(newHead.buffer);
  newHeadView.setInt16(50, 1); // indexToLocFormat: long offsets
  newHeadView.setUint32(8, 0); // checkSumAdjustment, computed over the whole file below
  tables.set('glyf', newGlyf);
  tables.set('loca', newLoca);
  tables.set('head', newHead);

  // Same directory header and table order; tables laid out one after another, four-byte aligned.
  const directoryLength = 12 + 16 * count;
  const total = order.reduce((sum, tag) => sum + pad4(tables.get(tag)?.length ?? 0), directoryLength);
  const out = new Uint8Array(total);
  const outView = new DataView(out.buffer);
  out.set(font.subarray(0, 12));
  let offset = directoryLength;
  order.forEach((tag, i) => {
    const table = tables.get(tag) ?? new Uint8Array();
    const entry = 12 + 16 * i;
    out.set(font.subarray(entry, entry + 4), entry);
    outView.setUint32(entry + 4, checksum(table));
    outView.setUint32(entry + 8, offset);
    outView.setUint32(entry + 12, table.length);
    out.set(table, offset);
    offset += pad4(table.length);
  });
  const headOffset = outView.getUint32(12 + 16 * order.indexOf('head') + 8);
  outView.setUint32(headOffset + 8, (0xb1b0afba - checksum(out)) >>> 0);
  return out;
}
