/**
 * Archives inside archives. A nested zip bomb (42.zip: 16 zips of 16 zips of … of 4 GiB of
 * zeros) is small at every level and huge in total. Two defences: a nested archive is
 * recognised by its magic number from a peek of its first bytes, so one beyond
 * limits.maxNesting is refused before it is inflated; and every level spends the same
 * InflateBudget, so the total of all levels is bounded by limits.maxInflatedBytes.
 */
import { Refusal, type SanitizeLimits } from '../types.ts';
import { InflateBudget } from './inflate.ts';
import { openZip } from './reader.ts';

/** APPNOTE §4.3.6 / §8.5.3: a local header, an empty archive's EOCD, or the spanning marker. */
export function looksLikeZip(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) return false;
  const [c, d] = [bytes[2], bytes[3]];
  return (c === 3 && d === 4) || (c === 5 && d === 6) || (c === 7 && d === 8);
}

export interface ArchiveFile {
  /** Entry names from the outer archive inward, e.g. ['a.zip', 'b.zip', 'c.txt']. */
  readonly path: readonly string[];
  readonly data: Uint8Array;
}

export interface ArchiveSummary {
  readonly files: number;
  readonly inflatedBytes: number;
  /** The deepest nesting met: 0 for a plain archive, 1 for zips inside it, … */
  readonly depth: number;
}

/**
 * Validates an archive and every archive inside it, up to limits.maxNesting levels below the
 * outer one, calling `visit` for each file that is not itself an archive. Throws a Refusal
 * ('nesting-too-deep', 'too-large', 'compression-ratio', 'too-many-entries', 'malformed',
 * 'encrypted') on the first problem.
 */
export function walkArchive(
  bytes: Uint8Array,
  limits: SanitizeLimits,
  visit: (file: ArchiveFile) => void = () => {},
): ArchiveSummary {
  const budget = new InflateBudget(limits.maxInflatedBytes);
  let files = 0;
  let depth = 0;
  const walk = (archive: Uint8Array, path: readonly string[]) => {
    depth = Math.max(depth, path.length);
    const zip = openZip(archive, limits, { budget });
    for (const entry of zip.entries) {
      if (entry.isDirectory) continue;
      if (looksLikeZip(zip.peek(entry, 4))) {
        if (path.length + 1 > limits.maxNesting) {
          throw new Refusal(
            'nesting-too-deep',
            `ZIP: ${[...path, entry.name].join(' → ')} nests archives deeper than ${limits.maxNesting}`,
          );
        }
        walk(zip.read(entry), [...path, entry.name]);
        continue;
      }
      files++;
      visit({ path: [...path, entry.name], data: zip.read(entry) });
    }
  };
  walk(bytes, []);
  return { files, inflatedBytes: limits.maxInflatedBytes - budget.remaining, depth };
}
