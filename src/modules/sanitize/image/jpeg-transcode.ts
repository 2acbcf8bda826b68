/**
 * Lossless JPEG rebuild: the quantized DCT coefficients are read from the file and written
 * into a new baseline JPEG of our own making (the approach of `jpegtran -copy none`). Headers,
 * markers and padding are new, and every coefficient is coded afresh (with the file's own
 * Huffman tables, checked, where they serve); the image is exactly the same, with no
 * generation loss, and no pixel is decoded, which costs a fraction of a re-encode.
 */
import { readBaseline } from './jpeg-baseline.ts';
import { decodeCoefficients, NotTranscodable } from './jpeg-coefficients.ts';
import { orientBlocks } from './jpeg-orient.ts';
import { ONE_SCAN, tablesAsRead, writeBaseline } from './jpeg-write.ts';

/**
 * The rebuilt file, turned to its EXIF `orientation` (1 as stored), or undefined when the
 * stream or the turn is not one this way handles.
 */
export function transcodeJpeg(decodable: Uint8Array, orientation = 1): Uint8Array | undefined {
  const jpeg = readBaseline(decodable);
  if (!jpeg) return undefined;
  let blocks: ReturnType<typeof decodeCoefficients>;
  try {
    blocks = decodeCoefficients(jpeg);
  } catch (error) {
    if (error instanceof NotTranscodable) return undefined;
    throw error;
  }
  const upright = orientBlocks(jpeg, blocks, orientation);
  if (!upright) return undefined;
  // Blocks not turned may be coded with the file's own tables, which saves counting symbols.
  const tables = upright.jpeg === jpeg ? tablesAsRead(jpeg) : undefined;
  return writeBaseline(upright.jpeg, upright.blocks, decodable.length, ONE_SCAN(upright.jpeg), tables);
}
