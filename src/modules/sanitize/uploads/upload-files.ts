/**
 * Where an upload's bytes are kept: files beside the internet zone's database, one folder a
 * municipality and a day (the day it was received, UTC), named by the upload. The row says
 * which of its files exist; a file no row names (its transaction never committed: the zone
 * crashed between the write and the commit) is swept away.
 */
import type { Database, FileStore } from '../../../core/index.ts';
import { isLgCode, TEMPORARY_SUFFIX } from '../../../core/index.ts';
import type { SanitizeReport } from '../report.ts';
import type { UploadsDb } from './tables.ts';

export type UploadFileKind = 'original' | 'rebuilt';

export interface UploadPlace {
  readonly municipalityCode: string;
  readonly uploadId: string;
  readonly receivedAt: Date;
}

const UPLOADS = 'uploads';
const folderOf = (municipalityCode: string, day: string) => `${UPLOADS}/${municipalityCode}/${day}`;
const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/** Where a row's files are. */
export const placeOfRow = (row: {
  municipality_code: string;
  upload_id: string;
  received_at: Date;
}): UploadPlace => ({
  municipalityCode: row.municipality_code,
  uploadId: row.upload_id,
  receivedAt: new Date(row.received_at),
});

export function uploadFileKey(upload: UploadPlace, kind: UploadFileKind): string {
  return `${folderOf(upload.municipalityCode, dayOf(upload.receivedAt))}/${upload.uploadId}.${kind}`;
}

/**
 * A rebuilt upload's bytes: its file, with the bytes it shares with the original put back
 * (`keptFromInput`: the worker did not write them again). Undefined if a file it needs is
 * missing or not the length its report says.
 */
export async function readRebuilt(
  files: FileStore,
  upload: UploadPlace,
  output: NonNullable<SanitizeReport['output']>,
): Promise<Uint8Array | undefined> {
  const stored = await files.get(uploadFileKey(upload, 'rebuilt'));
  const kept = output.keptFromInput;
  if (!stored || !kept) return stored;
  if (stored.length !== output.bytes - kept.length || kept.at > stored.length) return undefined;
  const whole = Buffer.allocUnsafe(output.bytes);
  whole.set(stored.subarray(0, kept.at), 0);
  whole.set(stored.subarray(kept.at), kept.at + kept.length);
  const shared = whole.subarray(kept.at, kept.at + kept.length);
  const original = uploadFileKey(upload, 'original');
  return (await files.readInto(original, kept.from, shared)) ? whole : undefined;
}

/** A file younger than this may belong to a transaction still under way. */
const SWEEP_AFTER_MS = 15 * 60_000;
const FILE_NAME = /^([0-9a-f-]{36})\.(original|rebuilt)$/;

/**
 * Removes the files of `days` (received on those days, UTC) that no row keeps, and `put`'s
 * temporary files a crash left: only those older than SWEEP_AFTER_MS by the wall clock (a
 * file's time is the wall clock's). Every municipality's folder is walked, those the zone no
 * longer serves too. Answers how many went.
 */
export async function sweepUploadFiles(
  database: Database,
  files: FileStore,
  days: readonly Date[],
): Promise<number> {
  const before = Date.now() - SWEEP_AFTER_MS;
  let removed = 0;
  for (const municipalityCode of (await files.folders(UPLOADS)).filter(isLgCode)) {
    for (const day of new Set(days.map(dayOf))) {
      const old = (await files.list(folderOf(municipalityCode, day))).filter(
        (file) => file.modifiedAt.getTime() < before,
      );
      const named = old.map((file) => ({ key: file.key, name: FILE_NAME.exec(file.key.split('/').pop()!) }));
      const ids = [...new Set(named.flatMap(({ name }) => (name ? [name[1]!] : [])))];
      const kept = new Set<string>();
      for (let at = 0; at < ids.length; at += 500) {
        const rows = await (database.db as UploadsDb)
          .selectFrom('sanitize_uploads')
          .select(['upload_id', 'original_in_store', 'rebuilt_in_store'])
          .where('municipality_code', '=', municipalityCode)
          .where('upload_id', 'in', ids.slice(at, at + 500))
          .execute();
        for (const row of rows) {
          if (row.original_in_store) kept.add(`${row.upload_id}.original`);
          if (row.rebuilt_in_store) kept.add(`${row.upload_id}.rebuilt`);
        }
      }
      for (const { key, name } of named) {
        const orphan = name ? !kept.has(name[0]) : key.endsWith(TEMPORARY_SUFFIX);
        if (!orphan) continue;
        await files.remove(key);
        removed++;
      }
    }
  }
  return removed;
}
