import type { Kysely } from 'kysely';

export interface ReceivedFilesDb {
  sanitize_file_parts: {
    municipality_code: string;
    upload_id: string;
    part: number;
    /** Null when the part is a file of the zone's FileStore (`data_in_store`). */
    data: Uint8Array | null;
    data_in_store: boolean;
  };
  sanitize_received_files: {
    municipality_code: string;
    upload_id: string;
    uploaded_by: string;
    uploaded_at: Date;
    received_at: Date;
    media_type: string;
    bytes: number;
    sha256: string;
    /** Null: the file is its parts in sanitize_file_parts (files received before were kept whole here). */
    content: Uint8Array | null;
    report: unknown;
  };
}

export type ReceivedDb = Kysely<ReceivedFilesDb>;
