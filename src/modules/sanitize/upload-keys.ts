import { sql } from 'kysely';

/** An upload of a municipality: the key of its rows in both zones' tables. */
export interface UploadKey {
  readonly municipalityCode: string;
  readonly uploadId: string;
}

/**
 * A row of one of these uploads, as a list of (municipality, upload) pairs: with the upload
 * cast to uuid, PostgreSQL finds each by the table's key (a BitmapOr of index scans).
 */
export function isUploadIn(keys: readonly UploadKey[]) {
  const pairs = keys.map(({ municipalityCode, uploadId }) => sql`(${municipalityCode}, ${uploadId}::uuid)`);
  return sql<boolean>`(municipality_code, upload_id) in (${sql.join(pairs)})`;
}
