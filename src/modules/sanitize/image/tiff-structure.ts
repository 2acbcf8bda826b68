/**
 * A strict reader for the TIFF structure (TIFF 6.0 Part 1 §2 "TIFF Structure"), shared by EXIF
 * (EXIF 2.32 §4.5.2 and §4.6.2 use the same header and IFDs) and by TIFF files. Every offset and
 * count is bounds-checked against the bytes, so a hostile count (2^32 values) cannot make us
 * allocate or loop: values are read lazily and only up to a caller's maximum.
 */

/** Thrown on any structural error; callers turn it into a Refusal or a warning. */
export class TiffStructureError extends Error {
  override readonly name = 'TiffStructureError';
}

/** One 12-byte IFD entry (TIFF 6.0 §2 "IFD Entry"). */
export interface IfdEntry {
  readonly tag: number;
  readonly type: number;
  readonly count: number;
  /** Absolute offset of the value bytes (inside the entry when they fit in 4 bytes). */
  readonly valueOffset: number;
}

export interface Ifd {
  readonly offset: number;
  readonly entries: ReadonlyMap<number, IfdEntry>;
  /** Offset of the next IFD, 0 at the end of the chain. */
  readonly next: number;
}

/** Bytes per value for field types 1–13 (TIFF 6.0 §2 "Types"; 13 = IFD, from TIFF-EP/Adobe). */
const TYPE_SIZE = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4];

/** An IFD has at most this many entries: real files have < 100; the 16-bit count allows 65535. */
const MAX_ENTRIES = 4096;

export class TiffStructure {
  readonly little: boolean;
  readonly firstIfd: number;
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    if (bytes.length < 8) throw new TiffStructureError('too short for a TIFF header');
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const order = this.view.getUint16(0);
    if (order === 0x4949) this.little = true;
    else if (order === 0x4d4d) this.little = false;
    else throw new TiffStructureError('no II/MM byte order mark');
    const magic = this.u16(2);
    if (magic === 43) throw new TiffStructureError('BigTIFF is not supported');
    if (magic !== 42) throw new TiffStructureError('not a TIFF (magic is not 42)');
    this.firstIfd = this.u32(4);
  }

  u16(offset: number): number {
    this.need(offset, 2);
    return this.view.getUint16(offset, this.little);
  }

  u32(offset: number): number {
    this.need(offset, 4);
    return this.view.getUint32(offset, this.little);
  }

  /** Reads one IFD; throws if it or its value areas lie outside the bytes. */
  readIfd(offset: number): Ifd {
    // TIFF 6.0 §2: IFDs begin on a word boundary, but writers often ignore it; we don't insist.
    const count = this.u16(offset);
    if (count === 0 || count > MAX_ENTRIES) throw new TiffStructureError(`IFD with ${count} entries`);
    this.need(offset + 2, count * 12 + 4);
    const entries = new Map<number, IfdEntry>();
    for (let i = 0; i < count; i++) {
      const at = offset + 2 + i * 12;
      const tag = this.u16(at);
      const type = this.u16(at + 2);
      const n = this.u32(at + 4);
      const size = TYPE_SIZE[type];
      // Unknown types must be skipped (TIFF 6.0 §2 "readers should ignore"), so we do not refuse.
      if (size === undefined || size === 0) continue;
      const length = size * n;
      const valueOffset = length <= 4 ? at + 8 : this.u32(at + 8);
      this.need(valueOffset, length);
      entries.set(tag, { tag, type, count: n, valueOffset });
    }
    return { offset, entries, next: this.u32(offset + 2 + count * 12) };
  }

  /** The values of a SHORT/LONG/BYTE/IFD entry, at most `max` of them (more is an error). */
  numbers(entry: IfdEntry, max: number): number[] {
    if (entry.count > max) throw new TiffStructureError(`tag ${entry.tag} has ${entry.count} values`);
    const out: number[] = [];
    for (let i = 0; i < entry.count; i++) {
      switch (entry.type) {
        case 1:
        case 7:
          out.push(this.bytes[entry.valueOffset + i]!);
          break;
        case 3:
          out.push(this.u16(entry.valueOffset + i * 2));
          break;
        case 4:
        case 13:
          out.push(this.u32(entry.valueOffset + i * 4));
          break;
        default:
          throw new TiffStructureError(`tag ${entry.tag} has type ${entry.type}, not an integer`);
      }
    }
    return out;
  }

  /** The first value of an integer entry, or undefined when the tag is absent. */
  number(ifd: Ifd, tag: number): number | undefined {
    const entry = ifd.entries.get(tag);
    if (entry === undefined || entry.count === 0) return undefined;
    // Only the first value is read, however large the count claims to be.
    return this.numbers({ ...entry, count: 1 }, 1)[0];
  }

  /** The raw value bytes of an entry (no copy). */
  raw(entry: IfdEntry): Uint8Array {
    const size = TYPE_SIZE[entry.type] ?? 1;
    return this.bytes.subarray(entry.valueOffset, entry.valueOffset + size * entry.count);
  }

  private need(offset: number, length: number): void {
    if (offset < 0 || length < 0 || offset + length > this.bytes.length) {
      throw new TiffStructureError(`offset ${offset}+${length} is outside the ${this.bytes.length} bytes`);
    }
  }
}
