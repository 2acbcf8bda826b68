/** Re-parses sanitizer output in tests: what chunks or markers it has, and its pixels. */
import { createCanvas, loadImage } from '@napi-rs/canvas';

/** PNG chunk types in order (PNG spec §5.3), and the bytes after IEND. */
export function pngChunks(png: Uint8Array): { types: string[]; trailing: number } {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const types: string[] = [];
  let pos = 8;
  while (pos + 12 <= buf.length) {
    const type = buf.toString('latin1', pos + 4, pos + 8);
    types.push(type);
    pos += 12 + buf.readUInt32BE(pos);
    if (type === 'IEND') break;
  }
  return { types, trailing: buf.length - pos };
}

/** JPEG header markers up to the first SOS (ITU T.81 B.1.1.4), and bytes after the final EOI. */
export function jpegMarkers(jpeg: Uint8Array): { markers: number[]; trailing: number } {
  const buf = Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
  const markers: number[] = [];
  let pos = 2;
  while (pos + 4 <= buf.length && buf[pos] === 0xff) {
    const marker = buf[pos + 1]!;
    markers.push(marker);
    if (marker === 0xda) break;
    pos += 2 + buf.readUInt16BE(pos + 2);
  }
  const eoi = buf.lastIndexOf(Buffer.of(0xff, 0xd9));
  return { markers, trailing: eoi < 0 ? -1 : buf.length - eoi - 2 };
}

export interface Decoded {
  readonly width: number;
  readonly height: number;
  /** RGBA, row by row. */
  readonly data: Uint8ClampedArray;
  /** RGBA of the pixel at (x, y). */
  at(x: number, y: number): [number, number, number, number];
}

export async function decodeImage(bytes: Uint8Array): Promise<Decoded> {
  const image = await loadImage(Buffer.from(bytes));
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const data = ctx.getImageData(0, 0, image.width, image.height).data;
  return {
    width: image.width,
    height: image.height,
    data,
    at(x, y) {
      const i = (y * image.width + x) * 4;
      return [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
    },
  };
}

/** True when each channel is within `tolerance` (JPEG is lossy). */
export function near(actual: readonly number[], expected: readonly number[], tolerance = 40): boolean {
  return expected.every((v, i) => Math.abs((actual[i] ?? -999) - v) <= tolerance);
}
