/**
 * A received file's parts: files of the lgwan zone's FileStore (one folder an upload), or,
 * for parts received before, bytes in their row.
 */
import { createHash } from 'node:crypto';
import type { FileStore } from '../../../core/index.ts';
import type { ReceivedDb } from './tables.ts';

export function filePartKey(municipalityCode: string, uploadId: string, index: number): string {
  return `received/${municipalityCode}/${uploadId}/${index}.part`;
}

/**
 * The parts' bytes in order, each from where its row says; undefined if a part's file is
 * missing from the store.
 */
export async function readParts(
  db: ReceivedDb,
  files: FileStore,
  municipalityCode: string,
  uploadId: string,
): Promise<{ index: number; data: Uint8Array }[] | undefined> {
  const rows = await db
    .selectFrom('sanitize_file_parts')
    .select(['part', 'data', 'data_in_store'])
    .where('municipality_code', '=', municipalityCode)
    .where('upload_id', '=', uploadId)
    .orderBy('part')
    .execute();
  const parts = await Promise.all(
    rows.map(async (row) => ({
      index: row.part,
      data: row.data_in_store
        ? await files.get(filePartKey(municipalityCode, uploadId, row.part))
        : new Uint8Array(row.data!),
    })),
  );
  return parts.every((part) => part.data !== undefined)
    ? (parts as { index: number; data: Uint8Array }[])
    : undefined;
}

export function sha256Of(parts: readonly Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}
