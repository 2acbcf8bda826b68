import type { Kysely } from 'kysely';

export interface SanitizeUploadsTable {
  municipality_code: string;
  upload_id: string;
  uploaded_by: string;
  received_at: Date;
  retain_until: Date;
  original: Uint8Array | null;
  original_sha256: string;
  outcome: 'rebuilt' | 'refused';
  report: unknown;
  rebuilt: Uint8Array | null;
  rebuilt_media_type: string | null;
  forward_error: string | null;
  /** The bytes are files of the zone's FileStore (see upload-files.ts), not the columns above. */
  original_in_store: boolean;
  rebuilt_in_store: boolean;
}

/** An upload still to go inward (delivered deletes it; see migration 005). */
export interface SanitizeUploadsUnsentTable {
  municipality_code: string;
  upload_id: string;
  received_at: Date;
}

export type UploadsDb = Kysely<{
  sanitize_uploads: SanitizeUploadsTable;
  sanitize_uploads_unsent: SanitizeUploadsUnsentTable;
}>;
