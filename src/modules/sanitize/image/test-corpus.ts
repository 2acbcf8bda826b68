/**
 * A test corpus built in memory (nothing downloaded): images with known pixels, metadata to be
 * stripped, polyglots and bombs. Exported so other sanitizer tests (the dispatcher, the CLI) can
 * reuse them. Byte layouts follow the specs cited at each builder.
 */

import { crc32 } from 'node:zlib';
import { createCanvas } from '@napi-rs/canvas';
import { stripJpegApp2 } from './render.ts';
import { exifTiff } from './test-corpus-exif.ts';

/** Stored image colours: a red block in the stored top-left quarter, the rest blue. */
export const RED = [255, 0, 0] as const;
export const BLUE = [0, 0, 255] as const;

/** A w × h canvas: blue, with red over the top-left quarter (so any rotation is visible). */
export function patternCanvas(w: number, h: number) {
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'rgb(0,0,255)';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = 'rgb(255,0,0)';
  ctx.fillRect(0, 0, w / 2, h / 2);
  return canvas;
}

/** The pattern as a JPEG with no metadata at all (Skia's own sRGB ICC segment removed). */
export function patternJpeg(w = 64, h = 32, quality = 95): Buffer {
  return Buffer.from(stripJpegApp2(patternCanvas(w, h).encodeSync('jpeg', quality)));
}

/** Noise-ish photo-like content (worst case for JPEG): for the speed measurement. */
export function noisyJpeg(w: number, h: number, quality = 90): Buffer {
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(w, h);
  let seed = 1;
  for (let i = 0; i < image.data.length; i += 4) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const x = (i / 4) % w;
    // Smooth gradient plus noise: closer to a photo than pure noise.
    image.data[i] = (x * 255) / w + (seed & 31);
    image.data[i + 1] = ((seed >>> 8) & 63) + 96;
    image.data[i + 2] = 255 - (x * 255) / w + ((seed >>> 16) & 31);
    image.data[i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  return canvas.encodeSync('jpeg', quality);
}

/** A JPEG marker segment (ITU T.81 B.1.1.4): FF, marker, 16-bit length including itself. */
export function jpegSegment(marker: number, payload: Uint8Array | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : Buffer.from(payload);
  const head = Buffer.of(0xff, marker, 0, 0);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/** Inserts segments right after SOI. */
export function withSegments(jpeg: Uint8Array, ...segments: Buffer[]): Buffer {
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

/**
 * The main polyglot: a 64 × 32 pattern JPEG with EXIF (Orientation 6, GPS), XMP, ICC, IPTC and a
 * comment, and a ZIP appended after EOI. Displayed, it is 32 × 64 with red at the top right.
 */
export function exifGpsZipJpeg(orientation = 6): Buffer {
  const base = patternJpeg();
  const exif = jpegSegment(
    0xe1,
    Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exifTiff({ orientation, gps: true })]),
  );
  const xmp = jpegSegment(0xe1, 'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta secret="xmp-secret"/>');
  const icc = jpegSegment(0xe2, 'ICC_PROFILE\0\x01\x01icc-secret');
  const iptc = jpegSegment(0xed, 'Photoshop 3.0\0iptc-secret');
  const comment = jpegSegment(0xfe, 'comment-secret');
  return Buffer.concat([withSegments(base, exif, xmp, icc, iptc, comment), minimalZip()]);
}

// ---------------------------------------------------------------- ZIP (APPNOTE.TXT 6.3.10 §4.3)

/** A real one-entry ZIP (stored, "secret.txt"): local header, central directory, end record. */
export function minimalZip(): Buffer {
  const name = Buffer.from('secret.txt', 'latin1');
  const data = Buffer.from('zip-secret\n', 'latin1');
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4); // version needed
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(10, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  const centralAt = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(centralAt, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

export { exifTiff } from './test-corpus-exif.ts';
export {
  pngBombHugeHeader,
  pngBombIdat,
  pngChunk,
  pngManyIdats,
  pngWithMetadata,
  quarterPattern,
  rgbPng,
} from './test-corpus-png.ts';
export { rgbTiff } from './test-corpus-tiff.ts';
