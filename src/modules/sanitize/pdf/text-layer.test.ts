import { PDFDocument, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { glyphlessFont } from './glyphless-font.ts';
import { pageTexts } from './test-checks.ts';
import { TextLayerFont } from './text-layer.ts';

describe('text layer', () => {
  it('maps private-use gaiji and astral characters through /ToUnicode', async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    const font = new TextLayerFont(doc.context);
    const ops = font.operators(
      [{ str: '外字\ue000と𩸽', transform: [12, 0, 0, 12, 72, 700], width: 60, height: 12, vertical: false }],
      [1, 0, 0, 1, 0, 0],
    );
    const page = doc.addPage([595, 842]);
    page.node.set(
      PDFName.of('Resources'),
      doc.context.obj({ Font: { Fh: font.horizontal, Fv: font.vertical } }),
    );
    page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.flateStream(ops)));
    font.finish();
    expect(ops).toMatch(/3 Tr/);
    expect(await pageTexts(await doc.save())).toEqual(['外字\ue000と𩸽']);
  });

  it('embeds a small, well-formed TrueType font', () => {
    const ttf = glyphlessFont();
    expect(ttf.length).toBeLessThan(1024);
    const view = new DataView(ttf.buffer, ttf.byteOffset);
    expect(view.getUint32(0)).toBe(0x00010000);
    let sum = 0;
    for (let i = 0; i < ttf.length; i += 4) sum = (sum + view.getUint32(i)) >>> 0;
    expect(sum).toBe(0xb1b0afba); // the whole-font checksum every TrueType font must have
  });
});
