import type { Kysely } from 'kysely';
import type { FileStore, TenantScope } from '../../../core/index.ts';
import { readParts, sha256Of } from './parts.ts';
import type { ReceivedDb } from './tables.ts';

export interface ReceivedFile {
  readonly uploadId: string;
  readonly mediaType: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly receivedAt: Date;
}

/** The rebuilt files that have arrived in this zone, of those named (missing ones are still on their way). */
export async function receivedFiles(
  // biome-ignore lint/suspicious/noExplicitAny: the zone's database, of any tables.
  db: Kysely<any>,
  scope: TenantScope,
  uploadIds: readonly string[],
): Promise<ReceivedFile[]> {
  if (uploadIds.length === 0) return [];
  const rows = await (db as ReceivedDb)
    .selectFrom('sanitize_received_files')
    .select(['upload_id', 'media_type', 'bytes', 'sha256', 'received_at'])
    .where('municipality_code', '=', scope.municipalityCode)
    .where('upload_id', 'in', uploadIds)
    .execute();
  return rows.map((row) => ({
    uploadId: row.upload_id,
    mediaType: row.media_type,
    bytes: row.bytes,
    sha256: row.sha256,
    receivedAt: new Date(row.received_at),
  }));
}

/**
 * One received file's bytes (joined from its parts), or undefined. Parts read from the file
 * store are hashed again: what is served is what was checked when the file arrived.
 */
export async function receivedFileContent(
  // biome-ignore lint/suspicious/noExplicitAny: the zone's database, of any tables.
  db: Kysely<any>,
  files: FileStore,
  scope: TenantScope,
  uploadId: string,
): Promise<{ mediaType: string; content: Uint8Array } | undefined> {
  const row = await (db as ReceivedDb)
    .selectFrom('sanitize_received_files')
    .select(['media_type', 'content', 'sha256'])
    .where('municipality_code', '=', scope.municipalityCode)
    .where('upload_id', '=', uploadId)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.content) return { mediaType: row.media_type, content: new Uint8Array(row.content) };
  const data = (await readParts(db as ReceivedDb, files, scope.municipalityCode, uploadId))?.map(
    (part) => part.data,
  );
  if (!data || sha256Of(data) !== row.sha256) {
    throw new Error(`received file ${uploadId}: its parts are not the file that was checked`);
  }
  return { mediaType: row.media_type, content: Buffer.concat(data) };
}
