import { type Kysely, sql } from 'kysely';
import type { TenantScope } from '../../../core/index.ts';
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

/** One received file's bytes (joined from its parts), or undefined. */
export async function receivedFileContent(
  // biome-ignore lint/suspicious/noExplicitAny: the zone's database, of any tables.
  db: Kysely<any>,
  scope: TenantScope,
  uploadId: string,
): Promise<{ mediaType: string; content: Uint8Array } | undefined> {
  const { rows } = await sql<{ media_type: string; content: Uint8Array }>`
    select media_type, coalesce(content, (
             select coalesce(string_agg(data, ''::bytea order by part), ''::bytea) from sanitize_file_parts p
              where p.municipality_code = f.municipality_code and p.upload_id = f.upload_id)) as content
      from sanitize_received_files f
     where municipality_code = ${scope.municipalityCode} and upload_id = ${uploadId}`.execute(db);
  const row = rows[0];
  return row ? { mediaType: row.media_type, content: new Uint8Array(row.content) } : undefined;
}
