/**
 * What we need from an EXIF block before dropping it: the Orientation (so the pixels can be
 * turned, since the output carries no EXIF) and whether it held a GPS IFD (reported apart from
 * 'exif', because a location is the most personal thing a photo carries).
 */
import { type Ifd, TiffStructure } from './tiff-structure.ts';

/** EXIF 2.32 §4.6.4 A, tag 0x0112 Orientation (1–8) in IFD0. */
export const TAG_ORIENTATION = 0x0112;
/** EXIF 2.32 §4.6.3 B, GPS Info IFD Pointer in IFD0. */
export const TAG_GPS_IFD = 0x8825;

export interface ExifFacts {
  /** 1–8; 1 when absent or out of range. */
  readonly orientation: number;
  readonly hasGps: boolean;
}

/** Reads a TIFF-structured EXIF block (the bytes after "Exif\0\0", or a PNG eXIf chunk). Throws on damage. */
export function readExif(tiff: Uint8Array): ExifFacts {
  const structure = new TiffStructure(tiff);
  const ifd0 = structure.readIfd(structure.firstIfd);
  return { orientation: orientationOf(structure, ifd0), hasGps: hasGpsIfd(structure, ifd0) };
}

export function orientationOf(structure: TiffStructure, ifd: Ifd): number {
  const value = structure.number(ifd, TAG_ORIENTATION);
  return value !== undefined && value >= 1 && value <= 8 ? value : 1;
}

/** True when IFD0 points at a GPS IFD that has at least one entry. */
export function hasGpsIfd(structure: TiffStructure, ifd: Ifd): boolean {
  const pointer = structure.number(ifd, TAG_GPS_IFD);
  if (pointer === undefined || pointer === 0) return false;
  try {
    return structure.readIfd(pointer).entries.size > 0;
  } catch {
    // A damaged GPS IFD is still GPS metadata being removed: report it rather than hide it.
    return true;
  }
}

/** Reads EXIF without throwing: damaged EXIF is dropped anyway, so it only costs a warning. */
export function readExifLenient(tiff: Uint8Array, warnings: string[]): ExifFacts {
  try {
    return readExif(tiff);
  } catch (error) {
    warnings.push(`unreadable EXIF ignored (${(error as Error).message}); orientation left as stored`);
    return { orientation: 1, hasGps: false };
  }
}
