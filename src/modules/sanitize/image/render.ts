/**
 * Decode → draw → re-encode with Skia (@napi-rs/canvas). Only pixels cross from the input to the
 * output: the encoder writes fresh headers, so no byte of the original's structure survives.
 * Orientation is applied by drawing through a transform, which costs no extra copy over the
 * draw that is needed anyway (an Image cannot be encoded without a canvas).
 */
import { type Canvas, createCanvas, type Image, loadImage } from '@napi-rs/canvas';
import { Refusal } from '../types.ts';
import { displayedSize, orientationTransform } from './orientation.ts';

/** JPEG quality for re-encoding photos: visually lossless for camera output, ~½ the size of 95+. */
export const JPEG_QUALITY = 88;

/** Decodes a pre-scanned stream and checks the decoder saw the size the header declared. */
export async function decode(
  bytes: Uint8Array,
  width: number,
  height: number,
  label: string,
): Promise<Image> {
  let image: Image;
  try {
    image = await loadImage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new Refusal('malformed', `${label}: the decoder could not read it (${(error as Error).message})`);
  }
  if (image.width !== width || image.height !== height) {
    throw new Refusal(
      'malformed',
      `${label}: decoded ${image.width}×${image.height}, header said ${width}×${height}`,
    );
  }
  return image;
}

/** Draws `source` (stored w × h) upright on a new canvas. */
export function drawUpright(source: Image | Canvas, w: number, h: number, orientation: number): Canvas {
  const size = displayedSize(w, h, orientation);
  const canvas = createCanvas(size.width, size.height);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(...orientationTransform(orientation, w, h));
  ctx.drawImage(source, 0, 0);
  return canvas;
}

export async function encodeJpeg(canvas: Canvas): Promise<Uint8Array> {
  const encoded = await encode(canvas, () => canvas.encode('jpeg', JPEG_QUALITY));
  release(canvas);
  return stripJpegApp2(encoded);
}

export async function encodePng(canvas: Canvas): Promise<Uint8Array> {
  const encoded = await encode(canvas, () => canvas.encode('png'));
  release(canvas);
  return encoded;
}

/**
 * Skia answers a canvas whose pixels it could not allocate (a worker's data limit reached) with
 * an empty one, and its encoder then says the canvas has no pixels: that file asked for more
 * memory than a file may use, which is a refusal, not a failure of the sanitizer.
 */
async function encode(canvas: Canvas, encoding: () => Promise<Buffer>): Promise<Buffer> {
  try {
    return await encoding();
  } catch (error) {
    if (!/has no pixels/i.test((error as Error).message)) throw error;
    throw new Refusal(
      'memory-limit',
      `The image needs more memory than a file may use: its ${canvas.width}×${canvas.height} pixels could not be drawn.`,
    );
  }
}

/**
 * Skia's pixel memory is native: V8 frees it only when it collects the wrapper, which under a
 * steady load lags by several files. Shrinking the canvas frees its surface now.
 */
function release(canvas: Canvas): void {
  canvas.width = 1;
  canvas.height = 1;
}

/**
 * Skia writes its own sRGB ICC profile in APP2. It is not from the input, but an output with no
 * profile at all is simpler to check and every viewer assumes sRGB anyway, so we drop it. Only
 * the header segments before the first SOS are walked (ITU T.81 B.1.1.4).
 */
export function stripJpegApp2(jpeg: Uint8Array): Uint8Array {
  let pos = 2;
  const keep: Uint8Array[] = [jpeg.subarray(0, 2)];
  while (pos + 4 <= jpeg.length && jpeg[pos] === 0xff) {
    const marker = jpeg[pos + 1]!;
    if (marker === 0xda) break;
    const end = pos + 2 + ((jpeg[pos + 2]! << 8) | jpeg[pos + 3]!);
    if (marker !== 0xe2) keep.push(jpeg.subarray(pos, end));
    pos = end;
  }
  if (keep.length === 1 || pos === 2) return jpeg;
  keep.push(jpeg.subarray(pos));
  return Buffer.concat(keep);
}
