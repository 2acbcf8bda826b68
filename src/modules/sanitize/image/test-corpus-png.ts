/**
 * PNG test files built chunk by chunk (PNG spec 3rd ed. §5.3: length, type, data, CRC-32 over
 * type and data), so bombs and odd chunks can be made that no encoder would write.
 */
import { crc32, deflateSync } from 'node:zlib';
import { exifTiff } from './test-corpus-exif.ts';

const SIGNATURE = Buffer.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

export function pngChunk(type: string, data: Uint8Array | string = Buffer.alloc(0)): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), Buffer.from(data as Uint8Array)]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(body.length - 4, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

function ihdr(width: number, height: number, colourType = 2, bitDepth = 8): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data[8] = bitDepth;
  data[9] = colourType;
  return pngChunk('IHDR', data);
}

/** Assembles signature, IHDR, `before` chunks, IDAT chunk(s), IEND. */
function png(header: Buffer, idat: Buffer[], before: Buffer[] = []): Buffer {
  return Buffer.concat([
    SIGNATURE,
    header,
    ...before,
    ...idat.map((d) => pngChunk('IDAT', d)),
    pngChunk('IEND'),
  ]);
}

/**
 * A w × h 8-bit RGB PNG from a pixel function, with `before` chunks after IHDR. Filter type 0
 * on every row (§9.2), so the raw bytes are exactly the pixels.
 */
export function rgbPng(
  w: number,
  h: number,
  pixel: (x: number, y: number) => readonly [number, number, number],
  before: Buffer[] = [],
): Buffer {
  const raw = Buffer.alloc(h * (1 + w * 3));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [r, g, b] = pixel(x, y);
      raw.set([r, g, b], y * (1 + w * 3) + 1 + x * 3);
    }
  }
  return png(ihdr(w, h), [deflateSync(raw)], before);
}

/** Red top-left quarter, blue elsewhere (as patternCanvas). */
export const quarterPattern = (w: number, h: number) => (x: number, y: number) =>
  x < w / 2 && y < h / 2 ? ([255, 0, 0] as const) : ([0, 0, 255] as const);

/** Bomb 1: IHDR claims 100000 × 100000 (10^10 pixels) over a tiny stream of zeros. */
export function pngBombHugeHeader(): Buffer {
  return png(ihdr(100_000, 100_000), [deflateSync(Buffer.alloc(1024 * 1024))]);
}

/**
 * Bomb 2: an honest-looking 100 × 100 RGB header (30 100 bytes of scanlines) over an IDAT stream
 * that inflates to `inflated` bytes of zeros (deflate reaches ~1000:1 on zeros).
 */
export function pngBombIdat(inflated = 200 * 1024 * 1024): Buffer {
  return png(ihdr(100, 100), [deflateSync(Buffer.alloc(inflated), { level: 9 })]);
}

/** Bomb 3: the same stream split over many small IDAT chunks (legal, §10.2). */
export function pngManyIdats(inflated = 64 * 1024 * 1024, chunk = 1024): Buffer {
  const stream = deflateSync(Buffer.alloc(inflated), { level: 9 });
  const parts: Buffer[] = [];
  for (let i = 0; i < stream.length; i += chunk) parts.push(stream.subarray(i, i + chunk));
  return png(ihdr(100, 100), parts);
}

/**
 * A 40 × 20 pattern PNG carrying every metadata chunk we drop: tEXt, zTXt and iCCP whose
 * compressed payloads are bombs (64 KB inflating to 64 MB — never to be inflated), iTXt XMP, eXIf
 * with GPS and Orientation, a private chunk, and text after IEND.
 */
export function pngWithMetadata(orientation = 1): Buffer {
  const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
  const chunks = [
    pngChunk('tEXt', 'Author\0text-secret'),
    pngChunk('zTXt', Buffer.concat([Buffer.from('Comment\0\0', 'latin1'), bomb])),
    pngChunk('iTXt', 'XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta secret="xmp-secret"/>'),
    pngChunk('iCCP', Buffer.concat([Buffer.from('icc\0\0', 'latin1'), bomb])),
    pngChunk('eXIf', exifTiff({ orientation, gps: true, bigEndian: true })),
    pngChunk('prVt', 'private-secret'),
  ];
  const file = rgbPng(40, 20, quarterPattern(40, 20), chunks);
  return Buffer.concat([file, Buffer.from('trailing-secret', 'latin1')]);
}
