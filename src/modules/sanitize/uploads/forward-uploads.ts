import { sql } from 'kysely';
import type { Database, FileStore, LgCode } from '../../../core/index.ts';
import type { SanitizeReport } from '../report.ts';
import { isUploadIn, type UploadKey } from '../upload-keys.ts';
import type { UploadsDb } from './tables.ts';
import { placeOfRow, readRebuilt } from './upload-files.ts';

/** A rebuilt upload waiting to go inward, with the parts of its report that may cross. */
export interface UnsentUpload {
  readonly municipalityCode: LgCode;
  readonly uploadId: string;
  readonly uploadedBy: string;
  readonly receivedAt: Date;
  readonly mediaType: string;
  readonly content: Uint8Array;
  /** The rebuilt file's SHA-256, as the sanitizer reported it: lgwan checks the bytes against it. */
  readonly sha256: string;
  readonly report: Pick<
    SanitizeReport,
    'detectedType' | 'input' | 'actions' | 'removed' | 'warnings' | 'pages'
  >;
}

const LINE = 300;
const clip = (text: string) => (text.length > LINE ? `${text.slice(0, LINE - 1)}…` : text);

/**
 * Oldest first, a few at a time (each holds a whole file): at most `limit`, and no more after
 * `maxBytes` (but at least one). Only rebuilt files: never an original. Files are read from
 * the file store (or from the row, for uploads of before it). One whose file has gone missing
 * is marked as not to be sent, with why, so that it does not hold up the others.
 */
export async function unsentUploads(
  database: Database,
  files: FileStore,
  options: { limit?: number; maxBytes?: number } = {},
): Promise<UnsentUpload[]> {
  const { limit = 5, maxBytes = Number.POSITIVE_INFINITY } = options;
  const db = database.db as UploadsDb;
  const waiting = await db
    .selectFrom('sanitize_uploads_unsent as u')
    .innerJoin('sanitize_uploads as s', (join) =>
      join.onRef('s.municipality_code', '=', 'u.municipality_code').onRef('s.upload_id', '=', 'u.upload_id'),
    )
    .select([
      's.municipality_code',
      's.upload_id',
      's.uploaded_by',
      's.received_at',
      's.rebuilt_media_type',
      's.report',
      's.rebuilt_in_store',
    ])
    .orderBy('u.received_at')
    .limit(limit)
    .execute();
  let bytes = 0;
  const rows = waiting
    .map((row) => ({
      ...row,
      report: (typeof row.report === 'string' ? JSON.parse(row.report) : row.report) as SanitizeReport,
    }))
    .filter((row, index) => {
      bytes += row.report.output!.bytes;
      return index === 0 || bytes <= maxBytes;
    });
  const contents = new Map<string, Uint8Array>();
  await Promise.all(
    rows.map(async (row) => {
      if (!row.rebuilt_in_store) return;
      const place = placeOfRow(row);
      const content = await readRebuilt(files, place, row.report.output!);
      if (content) contents.set(row.upload_id, content);
      else await markUploadRefused(database, place, 'The rebuilt file is missing from the file store.');
    }),
  );
  const unread = rows.filter((row) => !contents.has(row.upload_id) && !row.rebuilt_in_store);
  if (unread.length > 0) {
    const read = await db
      .selectFrom('sanitize_uploads')
      .select(['upload_id', 'rebuilt'])
      .where(
        'upload_id',
        'in',
        unread.map((row) => row.upload_id),
      )
      .execute();
    for (const row of read) contents.set(row.upload_id, new Uint8Array(row.rebuilt!));
  }
  return rows.flatMap((row) => {
    const content = contents.get(row.upload_id);
    if (!content) return [];
    const { report } = row;
    const upload: UnsentUpload = {
      municipalityCode: row.municipality_code as LgCode,
      uploadId: row.upload_id,
      uploadedBy: row.uploaded_by,
      receivedAt: new Date(row.received_at),
      mediaType: row.rebuilt_media_type!,
      content,
      sha256: report.output!.sha256,
      // The gateway's schema bounds every line; a report line is informative, so it is clipped.
      report: {
        detectedType: report.detectedType,
        input: report.input,
        actions: report.actions.slice(0, 50).map(clip),
        removed: report.removed
          .slice(0, 200)
          .map((item) => ({ ...item, ...(item.detail ? { detail: clip(item.detail) } : {}) })),
        warnings: report.warnings.slice(0, 50).map(clip),
        ...(report.pages !== undefined ? { pages: report.pages } : {}),
      },
    };
    return [upload];
  });
}

/** Marks uploads as delivered inward, in one statement. */
export async function markUploadsSent(database: Database, uploads: readonly UploadKey[]): Promise<void> {
  if (uploads.length === 0) return;
  await (database.db as UploadsDb).deleteFrom('sanitize_uploads_unsent').where(isUploadIn(uploads)).execute();
}

/** Marks an upload as refused inward (`error`): it is not sent again, and the refusal is kept. */
export async function markUploadRefused(
  database: Database,
  where: { municipalityCode: string; uploadId: string },
  error: string,
): Promise<void> {
  const { municipalityCode, uploadId } = where;
  await sql`
    with sent_no_more as (
      delete from sanitize_uploads_unsent
      where municipality_code = ${municipalityCode} and upload_id = ${uploadId}::uuid
    )
    update sanitize_uploads set forward_error = ${error}
    where municipality_code = ${municipalityCode} and upload_id = ${uploadId}::uuid`.execute(database.db);
}
