/**
 * JPEG → JPEG: walk the markers, then rebuild. A sequential JPEG has its DCT coefficients
 * turned upright and written into a new file (lossless, and several times faster than
 * decoding); any other (progressive, unusual, or one a lossless turn cannot do exactly) is
 * decoded, turned upright and re-encoded.
 */
import type { KeptBytes, Rebuilt, SanitizeLimits } from '../types.ts';
import { type JpegFacts, scanJpeg } from './jpeg-scan.ts';
import { transcodeJpeg } from './jpeg-transcode.ts';
import { decode, drawUpright, encodeJpeg, JPEG_QUALITY } from './render.ts';
import { Tally } from './tally.ts';

export async function sanitizeJpeg(input: Uint8Array, limits: SanitizeLimits): Promise<Rebuilt> {
  const removed = new Tally();
  const warnings: string[] = [];
  const facts = scanJpeg(input, limits, removed, warnings);
  const what = `${facts.width}×${facts.height} ${facts.progressive ? 'progressive' : 'baseline'} JPEG (${facts.scans} scan${facts.scans === 1 ? '' : 's'})`;
  const done = (output: Uint8Array, actions: string[], keptFromInput?: KeptBytes): Rebuilt => ({
    output,
    ...(keptFromInput ? { keptFromInput } : {}),
    mediaType: 'image/jpeg',
    actions,
    removed: removed.list(),
    warnings,
    pages: 1,
  });
  const transcoded = transcodeJpeg(facts.decodable, facts.orientation);
  if (transcoded) {
    const actions = [`read the DCT coefficients of a ${what}`];
    if (facts.orientation !== 1)
      actions.push(`applied EXIF orientation ${facts.orientation} to the coefficients`);
    actions.push(
      transcoded.keptScan
        ? 'wrote a new baseline JPEG with headers of its own, without metadata, and the coded coefficients as they were, having checked that coding them again gives the same bits (lossless)'
        : 'coded them again into a new baseline JPEG with headers of its own, without metadata (lossless)',
    );
    return done(
      transcoded.output,
      actions,
      transcoded.keptScan && inInput(input, facts, transcoded.keptScan),
    );
  }
  const image = await decode(facts.decodable, facts.width, facts.height, 'JPEG');
  const canvas = drawUpright(image, facts.width, facts.height, facts.orientation);
  const actions = [`decoded a ${what}`];
  if (facts.orientation !== 1) actions.push(`applied EXIF orientation ${facts.orientation} to the pixels`);
  actions.push(`re-encoded as JPEG at quality ${JPEG_QUALITY} without metadata`);
  return done(await encodeJpeg(canvas), actions);
}

/**
 * Where the kept scan's bytes (a view of `decodable`) lie in the input: the worker then need
 * not write them again, as the original file holds them. Undefined if they are not one part.
 */
function inInput(
  input: Uint8Array,
  facts: JpegFacts,
  scan: { at: number; bytes: Uint8Array },
): KeptBytes | undefined {
  if (scan.bytes.buffer !== facts.decodable.buffer) return undefined;
  let start = scan.bytes.byteOffset - facts.decodable.byteOffset;
  for (const part of facts.kept) {
    if (start < part.length) {
      if (part.buffer !== input.buffer || start + scan.bytes.length > part.length) return undefined;
      const from = part.byteOffset - input.byteOffset + start;
      return { at: scan.at, from, length: scan.bytes.length };
    }
    start -= part.length;
  }
  return undefined;
}
