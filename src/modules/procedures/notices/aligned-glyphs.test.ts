import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { describe, expect, it } from 'vitest';
import { withAlignedGlyphs } from './aligned-glyphs.ts';

const require = createRequire(import.meta.url);
const original = new Uint8Array(
  readFileSync(require.resolve('@expo-google-fonts/biz-udmincho/400Regular/BIZUDMincho_400Regular.ttf')),
);
const aligned = withAlignedGlyphs(original);
const text = '児童手当認定通知書山田太郎様千代田区長令和7年受付番号R-0123（教示）審査請求';

/** Subsets `font` to the glyphs of `text` as pdf-lib does, and reads the subset back. */
async function subsetOutlines(font: Uint8Array): Promise<string[]> {
  const parsed = fontkit.create(font);
  const subset = parsed.createSubset();
  const glyphs = [...text].map((character) => parsed.glyphForCodePoint(character.codePointAt(0) ?? 0));
  const ids = glyphs.map((glyph) => subset.includeGlyph(glyph));
  const parts: Uint8Array[] = [];
  await new Promise((resolve) =>
    subset
      .encodeStream()
      .on('data', (part) => parts.push(part))
      .on('end', resolve),
  );
  const bytes = new Uint8Array(Buffer.concat(parts));
  // The subset has no cmap: its glyphs are known by the ids includeGlyph gave them.
  const back = fontkit.create(bytes);
  return ids.map((id) => {
    try {
      return back.getGlyph(id).path.toSVG();
    } catch {
      return 'unreadable';
    }
  });
}

describe('withAlignedGlyphs', () => {
  it('keeps every glyph outline and the character map of the font', () => {
    const before = fontkit.create(original);
    const after = fontkit.create(aligned);
    expect(after.numGlyphs).toBe(before.numGlyphs);
    for (const character of text) {
      const codePoint = character.codePointAt(0) ?? 0;
      expect(after.glyphForCodePoint(codePoint).path.toSVG()).toBe(
        before.glyphForCodePoint(codePoint).path.toSVG(),
      );
    }
  });

  it('makes subsets whose glyphs are the font’s own (fontkit’s short loca halves odd offsets)', async () => {
    const font = fontkit.create(original);
    const expected = [...text].map((character) =>
      font.glyphForCodePoint(character.codePointAt(0) ?? 0).path.toSVG(),
    );
    expect(await subsetOutlines(aligned)).toEqual(expected);
    // The bug it works around: with the font as shipped, some glyphs of the subset are garbage.
    expect(await subsetOutlines(original)).not.toEqual(expected);
  });

  it('writes valid table checksums and head.checkSumAdjustment (OpenType spec)', () => {
    const view = new DataView(aligned.buffer, aligned.byteOffset, aligned.byteLength);
    const sum = (from: number, length: number) => {
      let total = 0;
      for (let offset = from; offset < from + length; offset += 4) {
        total = (total + (offset + 4 <= aligned.length ? view.getUint32(offset) : 0)) >>> 0;
      }
      return total;
    };
    for (let i = 0; i < view.getUint16(4); i++) {
      const entry = 12 + 16 * i;
      const tag = String.fromCharCode(...aligned.subarray(entry, entry + 4));
      const offset = view.getUint32(entry + 8);
      const length = (view.getUint32(entry + 12) + 3) & ~3;
      const stored = view.getUint32(entry + 4);
      const adjustment = tag === 'head' ? view.getUint32(offset + 8) : 0;
      expect((sum(offset, length) - adjustment) >>> 0, tag).toBe(stored);
    }
    expect(sum(0, aligned.length)).toBe(0xb1b0afba);
  });
});
