import type { DetectedType, Rebuilt, Removed, SanitizeOptions } from './types.ts';
import { isRefusal, Refusal } from './types.ts';
import { looksLikeZip, walkArchive, writeZip, type ZipFileInput } from './zip/index.ts';

/** The extension a rebuilt file gets when its type changed (TIFF → PNG, DOCM → DOCX, PDF → text). */
const EXTENSION: Record<string, string> = {
  'application/pdf': '.pdf',
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
  'text/csv': '.csv',
  'text/tab-separated-values': '.tsv',
  'text/plain': '.txt',
};

function renamed(name: string, mediaType: string): string {
  const extension = EXTENSION[mediaType.split(';')[0]!.trim()];
  if (!extension || name.toLowerCase().endsWith(extension)) return name;
  return `${name.replace(/\.[^./]*$/, '')}${extension}`;
}

type RebuildOne = (type: DetectedType, input: Uint8Array) => Promise<Rebuilt>;

/**
 * A ZIP archive, for a procedure that allows archives: every file in it (and in archives
 * inside it, up to limits.maxNesting, all sharing one inflate budget) is sanitized like an
 * upload of its own, and a new archive is written of the rebuilt files, nested archives
 * flattened into folders. A file that would be refused on its own is left out and reported.
 */
export async function sanitizeArchive(
  input: Uint8Array,
  options: SanitizeOptions,
  detect: (bytes: Uint8Array) => DetectedType,
  rebuildOne: RebuildOne,
): Promise<Rebuilt> {
  if (!looksLikeZip(input)) throw new Refusal('type-not-allowed', 'Only ZIP archives are accepted.');
  const files: { path: readonly string[]; data: Uint8Array }[] = [];
  walkArchive(input, options.limits, (file) => files.push(file));
  const output: ZipFileInput[] = [];
  const removed: Removed[] = [];
  const actions: string[] = [];
  for (const file of files) {
    const name = file.path.join('/');
    const type = detect(file.data);
    try {
      const rebuilt = await rebuildOne(type, file.data);
      output.push({ name: renamed(name, rebuilt.mediaType), data: rebuilt.output });
      removed.push(
        ...rebuilt.removed.map((item) => ({ ...item, detail: `${name}: ${item.detail ?? ''}`.trim() })),
      );
    } catch (error) {
      if (!isRefusal(error)) throw error;
      removed.push({ kind: 'archive-entry', count: 1, detail: `${name}: ${error.reason}` });
    }
  }
  actions.push(`sanitized ${output.length} of ${files.length} file(s) in the archive and wrote a new ZIP`);
  return { output: writeZip(output), mediaType: 'application/zip', actions, removed, warnings: [] };
}
