import { createCanvas, loadImage } from '@napi-rs/canvas';
import jsQRModule from 'jsqr';
import { describe, expect, it } from 'vitest';
import { parseLgCode, tenantScope } from '../../../core/index.ts';
import { encodeMerchantQr, parseMerchantQr } from './emv-qr.ts';
import { qrSvg } from './qr-svg.ts';

// jsqr is CommonJS: its function is both the module and its `default` (typed as the latter).
const jsQR = jsQRModule.default;

/** Draws the SVG as a camera would see it and reads it back with jsQR, a decoder that is not ours. */
async function decode(svg: string, pixels = 400): Promise<Uint8ClampedArray> {
  const image = await loadImage(Buffer.from(svg));
  const canvas = createCanvas(pixels, pixels);
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0, pixels, pixels);
  const found = jsQR(new Uint8ClampedArray(context.getImageData(0, 0, pixels, pixels).data), pixels, pixels);
  if (!found) throw new Error('jsQR found no code');
  return Uint8ClampedArray.from(found.binaryData);
}

describe('qrSvg', () => {
  it('draws a code an independent decoder reads back byte for byte, Japanese name included', async () => {
    const scope = tenantScope(parseLgCode('131016'));
    const text = encodeMerchantQr({
      kind: 'dynamic',
      municipalityCode: scope.municipalityCode,
      merchantId: 'm-demo',
      categoryCode: '5411',
      merchantName: 'MACHI SHOTEN',
      merchantCity: 'CHIYODA',
      merchantNameJa: 'まち商店',
      amount: 1_234,
    });
    const svg = qrSvg(text, 'お支払い用QRコード').toString();
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-label="お支払い用QRコード"');
    const read = new TextDecoder().decode(await decode(svg));
    expect(read).toBe(text);
    expect(parseMerchantQr(read)).toMatchObject({ merchantId: 'm-demo', amount: 1_234 });
  });

  it('keeps a quiet zone of four modules around the code', () => {
    const svg = qrSvg('000201', 'x').toString();
    const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
    // Version 1 is 21 modules: 21 + 2 × 4.
    expect(size).toBe(29);
    expect(svg).toContain('M4 4h1v1h-1z');
    expect(svg).not.toMatch(/M[0-3] /);
  });
});
