/** ZIP reading (validated, bounded), nested-archive checks and deterministic writing. */
export { InflateBudget, RATIO_FLOOR_BYTES } from './inflate.ts';
export { type ArchiveFile, type ArchiveSummary, looksLikeZip, walkArchive } from './nested.ts';
export { type OpenOptions, openZip, ZipArchive, type ZipEntry } from './reader.ts';
export { writeZip, type ZipFileInput } from './writer.ts';
