/**
 * TIFF → PNG. Every full-resolution page is decoded (UTIF, pure JS) and the pages are stacked
 * top to bottom in one PNG, each turned upright by its own Orientation tag. We stack rather than
 * keep page 1 because multi-page TIFFs here are mostly faxes and scans: dropping pages 2… would
 * lose the document, and the limits never allow silent truncation. The pages together must fit
 * limits.maxPixels and their number limits.maxPages, both checked before anything is decoded.
 */
import { type Canvas, createCanvas, ImageData } from '@napi-rs/canvas';
import * as UTIF from 'utif2';
import { type Rebuilt, Refusal, type SanitizeLimits } from '../types.ts';
import { countInflated } from './inflate-count.ts';
import { displayedSize, orientationTransform } from './orientation.ts';
import { encodePng } from './render.ts';
import { Tally } from './tally.ts';
import { scanTiff, type TiffPage } from './tiff-scan.ts';

export async function sanitizeTiff(input: Uint8Array, limits: SanitizeLimits): Promise<Rebuilt> {
  const removed = new Tally();
  const warnings: string[] = [];
  const pages = scanTiff(input, limits, removed);
  for (const page of pages) await checkDeflateStrips(page);
  const sizes = pages.map((p) => displayedSize(p.width, p.height, p.orientation));
  const canvas = createCanvas(
    Math.max(...sizes.map((s) => s.width)),
    sizes.reduce((sum, s) => sum + s.height, 0),
  );
  const ctx = canvas.getContext('2d');
  // UTIF reads offsets against the ArrayBuffer it is given, so give it one holding exactly the file.
  const whole =
    input.byteOffset === 0 && input.byteLength === input.buffer.byteLength
      ? (input.buffer as ArrayBuffer)
      : new Uint8Array(input).buffer;
  let top = 0;
  for (const [i, page] of pages.entries()) {
    const pixels = decodePage(whole, page, i + 1);
    if (page.orientation === 1) {
      ctx.putImageData(pixels, 0, top);
    } else {
      // putImageData ignores transforms, so the page goes through a canvas of its own first.
      const stored: Canvas = createCanvas(page.width, page.height);
      stored.getContext('2d').putImageData(pixels, 0, 0);
      const [a, b, c, d, e, f] = orientationTransform(page.orientation, page.width, page.height);
      ctx.setTransform(a, b, c, d, e, f + top);
      ctx.drawImage(stored, 0, 0);
      ctx.resetTransform();
    }
    top += sizes[i]!.height;
  }
  const output = await encodePng(canvas);
  const actions = [
    pages.length === 1
      ? `decoded a ${pages[0]!.width}×${pages[0]!.height} TIFF`
      : `decoded ${pages.length} TIFF pages and stacked them top to bottom in one image`,
  ];
  if (pages.some((p) => p.orientation !== 1)) actions.push('applied the TIFF Orientation tag to the pixels');
  actions.push('re-encoded as 8-bit RGBA PNG without metadata');
  return { output, mediaType: 'image/png', actions, removed: removed.list(), warnings, pages: pages.length };
}

function decodePage(whole: ArrayBuffer, page: TiffPage, number: number): ImageData {
  const ifd = { ...page.tags } as unknown as UTIF.IFD;
  let rgba: Uint8Array;
  try {
    UTIF.decodeImage(whole, ifd);
    if (ifd.data === undefined || ifd.data.length < page.rowBytes * page.height) {
      throw new Error('the image data is shorter than the page');
    }
    rgba = UTIF.toRGBA8(ifd);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Refusal('malformed', `TIFF page ${number}: the decoder could not read it (${message})`);
  }
  if (rgba.length !== page.width * page.height * 4) {
    throw new Refusal('malformed', `TIFF page ${number}: decoded to an unexpected size`);
  }
  return new ImageData(
    new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.length),
    page.width,
    page.height,
  );
}

/**
 * UTIF inflates Deflate strips (compression 8 and 32946) whole with pako, so a tiny strip could
 * inflate to gigabytes: count each strip first against the rows it holds (as for PNG IDAT).
 */
async function checkDeflateStrips(page: TiffPage): Promise<void> {
  if (page.compression !== 8 && page.compression !== 32946) return;
  for (const [i, strip] of page.strips.entries()) {
    const rows = Math.min(page.rowsPerStrip, page.height - i * page.rowsPerStrip);
    const cap = rows * page.rowBytes;
    const result = await countInflated([strip], cap);
    if (result.kind === 'over') {
      throw new Refusal(
        'compression-ratio',
        `TIFF strip ${i + 1} inflates past the ${cap} bytes it can hold`,
      );
    }
    if (result.kind === 'error') throw new Refusal('malformed', `TIFF strip ${i + 1}: ${result.message}`);
  }
}
