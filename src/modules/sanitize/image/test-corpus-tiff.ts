/**
 * TIFF test files built by hand (TIFF 6.0 Part 1 §2 structure, §6 RGB full-colour images):
 * little-endian, 8-bit RGB, one strip per page, uncompressed or Deflate (compression 8), with
 * text tags, XMP, an EXIF IFD and a GPS IFD on every page.
 */
import { deflateSync } from 'node:zlib';

export interface TiffPageSpec {
  readonly width: number;
  readonly height: number;
  readonly pixel: (x: number, y: number) => readonly [number, number, number];
  readonly orientation?: number;
  /** Replace the strip with this (already compressed) data and mark it Deflate. */
  readonly deflatedStrip?: Buffer;
}

type Entry = [tag: number, type: number, values: number[] | Buffer];

const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4 };

export function rgbTiff(pages: TiffPageSpec[], metadata = true): Buffer {
  const parts: Buffer[] = [Buffer.from('II*\0\0\0\0\0', 'latin1')];
  let length = 8;
  const append = (b: Buffer) => {
    const at = length;
    parts.push(b);
    length += b.length;
    if (length % 2) append(Buffer.alloc(1)); // keep word alignment (TIFF 6.0 §2)
    return at;
  };
  let previousNext = 4; // where the previous IFD's "next" offset must be written
  for (const page of pages) {
    const raw = Buffer.alloc(page.width * page.height * 3);
    for (let y = 0; y < page.height; y++) {
      for (let x = 0; x < page.width; x++) raw.set(page.pixel(x, y), (y * page.width + x) * 3);
    }
    const strip = page.deflatedStrip ?? raw;
    const stripAt = append(strip);
    const entries: Entry[] = [
      [256, 4, [page.width]],
      [257, 4, [page.height]],
      [258, 3, [8, 8, 8]],
      [259, 3, [page.deflatedStrip ? 8 : 1]],
      [262, 3, [2]],
      [273, 4, [stripAt]],
      [277, 3, [3]],
      [278, 4, [page.height]],
      [279, 4, [strip.length]],
    ];
    if (page.orientation !== undefined) entries.push([274, 3, [page.orientation]]);
    if (metadata) {
      entries.push([270, 2, Buffer.from('description-secret\0', 'latin1')]);
      entries.push([315, 2, Buffer.from('artist-secret\0', 'latin1')]);
      entries.push([700, 1, Buffer.from('<x:xmpmeta secret="xmp-secret"/>', 'latin1')]);
      const exifAt = length;
      append(ifd([[0x9003, 2, Buffer.from('2024:01:01 00:00:00\0')]], exifAt, 0));
      entries.push([34665, 4, [exifAt]]);
      const gpsAt = length;
      append(ifd([[1, 2, Buffer.from('N\0')]], gpsAt, 0));
      entries.push([34853, 4, [gpsAt]]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    const at = length;
    const body = ifd(entries, at, 0);
    append(body);
    // Link the previous IFD (or the header) to this one.
    const linkBuffer = Buffer.concat(parts);
    linkBuffer.writeUInt32LE(at, previousNext);
    parts.length = 0;
    parts.push(linkBuffer);
    previousNext = at + 2 + entries.length * 12;
  }
  return Buffer.concat(parts);
}

/**
 * Serialises one IFD placed at `at`: entries, next-IFD offset, then the values too big to fit
 * in an entry, right after it.
 */
function ifd(entries: Entry[], at: number, next: number): Buffer {
  const head = Buffer.alloc(2 + entries.length * 12 + 4);
  const extra: Buffer[] = [];
  let extraAt = at + head.length;
  head.writeUInt16LE(entries.length, 0);
  entries.forEach(([tag, type, values], i) => {
    const p = 2 + i * 12;
    const size = TYPE_SIZE[type]!;
    const bytes = Buffer.isBuffer(values) ? values : Buffer.alloc(values.length * size);
    if (!Buffer.isBuffer(values)) {
      for (const [j, v] of values.entries()) {
        if (size === 2) bytes.writeUInt16LE(v, j * 2);
        else bytes.writeUInt32LE(v, j * 4);
      }
    }
    head.writeUInt16LE(tag, p);
    head.writeUInt16LE(type, p + 2);
    head.writeUInt32LE(bytes.length / size, p + 4);
    if (bytes.length <= 4) bytes.copy(head, p + 8);
    else {
      head.writeUInt32LE(extraAt, p + 8);
      const padded = bytes.length % 2 ? Buffer.concat([bytes, Buffer.alloc(1)]) : bytes;
      extra.push(padded);
      extraAt += padded.length;
    }
  });
  head.writeUInt32LE(next, 2 + entries.length * 12);
  return Buffer.concat([head, ...extra]);
}

/** A Deflate strip (zlib, as TIFF compression 8 stores it) of `bytes` zeros: a strip bomb. */
export function deflateBombStrip(bytes: number): Buffer {
  return deflateSync(Buffer.alloc(bytes), { level: 9 });
}
