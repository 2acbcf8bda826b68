/** EXIF blocks for the test corpus (EXIF 2.32 §4.5.2 TIFF header, §4.6.2 IFDs). */

/**
 * A TIFF-structured EXIF block: IFD0 with Make, Orientation and (optionally) a GPS IFD pointer;
 * the GPS IFD holds GPSLatitudeRef "N" and GPSLatitude 35/1 41/1 0/1 (Tokyo-ish).
 */
export function exifTiff(options: { orientation?: number; gps?: boolean; bigEndian?: boolean } = {}): Buffer {
  const le = !options.bigEndian;
  const out = Buffer.alloc(128);
  const u16 = (v: number, at: number) => (le ? out.writeUInt16LE(v, at) : out.writeUInt16BE(v, at));
  const u32 = (v: number, at: number) => (le ? out.writeUInt32LE(v, at) : out.writeUInt32BE(v, at));
  out.write(le ? 'II' : 'MM', 0, 'latin1');
  u16(42, 2);
  u32(8, 4);
  const entries: [number, number, number, number][] = [[0x010f, 2, 4, 0]]; // Make "Cam\0" inline
  if (options.orientation !== undefined) entries.push([0x0112, 3, 1, options.orientation]);
  if (options.gps) entries.push([0x8825, 4, 1, 0]); // pointer patched below
  const gpsAt = 8 + 2 + entries.length * 12 + 4;
  u16(entries.length, 8);
  entries.forEach(([tag, type, count, value], i) => {
    const at = 10 + i * 12;
    u16(tag, at);
    u16(type, at + 2);
    u32(count, at + 4);
    if (tag === 0x010f) out.write('Cam\0', at + 8, 'latin1');
    else if (type === 3) u16(value, at + 8);
    else u32(tag === 0x8825 ? gpsAt : value, at + 8);
  });
  u32(0, 10 + entries.length * 12);
  if (!options.gps) return out.subarray(0, gpsAt);
  u16(2, gpsAt);
  const rationals = gpsAt + 2 + 24 + 4;
  [
    [1, 2, 2, 0],
    [2, 5, 3, rationals],
  ].forEach(([tag, type, count, value], i) => {
    const at = gpsAt + 2 + i * 12;
    u16(tag!, at);
    u16(type!, at + 2);
    u32(count!, at + 4);
    if (tag === 1) out.write('N\0', at + 8, 'latin1');
    else u32(value!, at + 8);
  });
  u32(0, gpsAt + 2 + 24);
  for (const [i, v] of [35, 1, 41, 1, 0, 1].entries()) u32(v, rationals + i * 4);
  return out.subarray(0, rationals + 24);
}
