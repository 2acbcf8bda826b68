/**
 * Lossless JPEG rebuild: the quantized DCT coefficients are read from the file and written
 * into a new baseline JPEG of our own making (the approach of `jpegtran -copy none`). Headers,
 * markers and padding are new, and every coefficient is coded afresh (with the file's own
 * Huffman tables, checked, where they serve); the image is exactly the same, with no
 * generation loss, and no pixel is decoded, which costs a fraction of a re-encode.
 */
import { readBaseline } from './jpeg-baseline.ts';
import { codedAsWeWrite, decodeCoefficients, NotTranscodable } from './jpeg-coefficients.ts';
import { orientBlocks } from './jpeg-orient.ts';
import { ONE_SCAN, tablesAsRead, writeAsCoded, writeBaseline } from './jpeg-write.ts';

export interface Transcoded {
  readonly output: Uint8Array;
  /**
   * When the scan's bytes were kept (coding its coefficients again would have given them, to
   * the bit, checked by decoding every one; the file's headers are new all the same): where
   * they begin in the output, and those bytes as read (a view of the stream given).
   */
  readonly keptScan?: { readonly at: number; readonly bytes: Uint8Array };
}

/**
 * The rebuilt file, turned to its EXIF `orientation` (1 as stored), or undefined when the
 * stream or the turn is not one this way handles.
 */
export function transcodeJpeg(decodable: Uint8Array, orientation = 1): Transcoded | undefined {
  const jpeg = readBaseline(decodable);
  if (!jpeg) return undefined;
  try {
    // Blocks not turned may be coded with the file's own tables, which saves counting symbols;
    // and where the file is coded as we would code it, coding it again would change nothing.
    const own = tablesAsRead(jpeg);
    if (own && orientation === 1 && codedAsWeWrite(jpeg)) {
      const { output, scanAt } = writeAsCoded(jpeg, own);
      return { output, keptScan: { at: scanAt, bytes: jpeg.scans[0]!.data } };
    }
    const blocks = decodeCoefficients(jpeg);
    const upright = orientBlocks(jpeg, blocks, orientation);
    if (!upright) return undefined;
    const tables = upright.jpeg === jpeg ? own : undefined;
    const output = writeBaseline(
      upright.jpeg,
      upright.blocks,
      decodable.length,
      ONE_SCAN(upright.jpeg),
      tables,
    );
    return { output };
  } catch (error) {
    if (error instanceof NotTranscodable) return undefined;
    throw error;
  }
}
