/** JPEG → JPEG: walk the markers, decode only the image segments, turn upright, re-encode. */
import type { Rebuilt, SanitizeLimits } from '../types.ts';
import { scanJpeg } from './jpeg-scan.ts';
import { decode, drawUpright, encodeJpeg, JPEG_QUALITY } from './render.ts';
import { Tally } from './tally.ts';

export async function sanitizeJpeg(input: Uint8Array, limits: SanitizeLimits): Promise<Rebuilt> {
  const removed = new Tally();
  const warnings: string[] = [];
  const facts = scanJpeg(input, limits, removed, warnings);
  const image = await decode(facts.decodable, facts.width, facts.height, 'JPEG');
  const canvas = drawUpright(image, facts.width, facts.height, facts.orientation);
  const output = await encodeJpeg(canvas);
  const actions = [
    `decoded a ${facts.width}×${facts.height} ${facts.progressive ? 'progressive' : 'baseline'} JPEG (${facts.scans} scan${facts.scans === 1 ? '' : 's'})`,
  ];
  if (facts.orientation !== 1) actions.push(`applied EXIF orientation ${facts.orientation} to the pixels`);
  actions.push(`re-encoded as JPEG at quality ${JPEG_QUALITY} without metadata`);
  return { output, mediaType: 'image/jpeg', actions, removed: removed.list(), warnings, pages: 1 };
}
