/**
 * PNG → PNG: walk the chunks, prove the image data inflates to exactly the size IHDR implies
 * (counted, not kept), decode only the critical chunks, turn upright, re-encode.
 */
import { type Rebuilt, Refusal, type SanitizeLimits } from '../types.ts';
import { countInflated } from './inflate-count.ts';
import { expectedRawBytes, scanPng } from './png-scan.ts';
import { decode, drawUpright, encodePng } from './render.ts';
import { Tally } from './tally.ts';

export async function sanitizePng(input: Uint8Array, limits: SanitizeLimits): Promise<Rebuilt> {
  const removed = new Tally();
  const warnings: string[] = [];
  const facts = scanPng(input, limits, removed, warnings);
  await checkImageData(facts.idat, expectedRawBytes(facts));
  const image = await decode(facts.decodable, facts.width, facts.height, 'PNG');
  const canvas = drawUpright(image, facts.width, facts.height, facts.orientation);
  const output = await encodePng(canvas);
  const actions = [
    `decoded a ${facts.width}×${facts.height} PNG (colour type ${facts.colourType}, ${facts.bitDepth}-bit${facts.interlaced ? ', interlaced' : ''})`,
  ];
  if (facts.bitDepth === 16) warnings.push('16-bit samples were reduced to 8 bits');
  if (facts.orientation !== 1) actions.push(`applied eXIf orientation ${facts.orientation} to the pixels`);
  actions.push('re-encoded as 8-bit RGBA PNG without metadata');
  return { output, mediaType: 'image/png', actions, removed: removed.list(), warnings, pages: 1 };
}

/**
 * PNG spec §10: IDAT is one zlib stream of exactly the filtered scanlines. More is a
 * decompression bomb (a small IHDR over a huge stream); less is a truncated image. The count
 * stops one byte past the expected size, so a bomb costs no more than a real image would.
 */
async function checkImageData(idat: Uint8Array[], expected: number): Promise<void> {
  const result = await countInflated(idat, expected);
  if (result.kind === 'over') {
    throw new Refusal(
      'compression-ratio',
      `PNG image data inflates past the ${expected} bytes its header allows (decompression bomb)`,
    );
  }
  if (result.kind === 'error') throw new Refusal('malformed', `PNG image data: ${result.message}`);
  if (result.bytes < expected) {
    throw new Refusal(
      'malformed',
      `PNG image data is ${result.bytes} bytes, ${expected} expected (truncated)`,
    );
  }
}
