import { type Kysely, sql } from 'kysely';
import { type LgCode, MachiError } from '../../../core/index.ts';
import { detectType } from '../detect/detect-type.ts';
import type { DetectedType } from '../types.ts';
import type { ReceivedDb } from './tables.ts';

// biome-ignore lint/suspicious/noExplicitAny: the receiving zone's transaction, of any tables.
type AnyTransaction = Kysely<any>;

/** The output types the sanitizer writes, and what each one's bytes must look like. */
const CONTENT_OF: Record<string, readonly DetectedType[]> = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpeg'],
  'image/png': ['png'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['zip'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['zip'],
  'application/zip': ['zip'],
  'text/plain; charset=utf-8': ['text', 'csv'],
  'text/csv; charset=utf-8': ['csv', 'text'],
  'text/tab-separated-values; charset=utf-8': ['csv', 'text'],
};

export interface FilePart {
  readonly uploadId: string;
  readonly index: number;
  readonly data: Uint8Array;
}

export interface FileHeader {
  readonly uploadId: string;
  readonly uploadedBy: string;
  readonly receivedAt: string;
  readonly mediaType: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly parts: number;
  readonly report: unknown;
}

function refused(detail: string): MachiError {
  return new MachiError('gateway-message-invalid', `Sanitized file: ${detail}`);
}

/** Keeps one part until its file is complete (inside the receiving message's transaction). */
export async function storeFilePart(
  trx: AnyTransaction,
  municipalityCode: LgCode,
  part: FilePart,
): Promise<void> {
  await (trx as ReceivedDb)
    .insertInto('sanitize_file_parts')
    .values({
      municipality_code: municipalityCode,
      upload_id: part.uploadId,
      part: part.index,
      data: part.data,
    })
    .onConflict((conflict) => conflict.doNothing())
    .execute();
}

/** Bytes of a file's start that tell its type: detectType reads no further. */
const HEAD_BYTES = 64 * 1024 + 1;

/**
 * Checks a file whose parts have arrived against what the internet zone says, and keeps it:
 * every part there, the length and SHA-256 as stated, and content of an allowed output type
 * matching the stated media type. A file that fails is refused and nothing is kept. The parts
 * stay as the file's bytes, and PostgreSQL joins and hashes them where they lie: the file is
 * not read back, written again whole, and its parts deleted (a 1 MB photo cost lgwan three
 * times its size in reads and writes).
 */
export async function receiveSanitizedFile(
  trx: AnyTransaction,
  municipalityCode: LgCode,
  header: FileHeader,
  now: Date,
): Promise<void> {
  const db = trx as ReceivedDb;
  const { rows } = await sql<{
    parts: number;
    last: number | null;
    bytes: number;
    sha256: string;
    head: Uint8Array;
  }>`
    select count(*)::int as parts, max(part) as last, coalesce(sum(length(data)), 0)::int as bytes,
           encode(sha256(coalesce(string_agg(data, ''::bytea order by part), ''::bytea)), 'hex') as sha256,
           coalesce(substring(string_agg(data, ''::bytea order by part) from 1 for ${HEAD_BYTES}), ''::bytea) as head
      from sanitize_file_parts
     where municipality_code = ${municipalityCode} and upload_id = ${header.uploadId}`.execute(db);
  const found = rows[0]!;
  // Part numbers are unique per file (the key): as many as said, numbered from 0, are all of them.
  if (found.parts !== header.parts || found.last !== header.parts - 1) {
    throw refused(`${found.parts} of ${header.parts} parts arrived.`);
  }
  if (found.bytes !== header.bytes) throw refused(`${found.bytes} bytes, not ${header.bytes}.`);
  if (found.sha256 !== header.sha256) throw refused('the SHA-256 differs.');
  const expected = CONTENT_OF[header.mediaType];
  const type = detectType(new Uint8Array(found.head));
  if (!expected?.includes(type)) throw refused(`${header.mediaType} expected, the content is ${type}.`);
  await db
    .insertInto('sanitize_received_files')
    .values({
      municipality_code: municipalityCode,
      upload_id: header.uploadId,
      uploaded_by: header.uploadedBy,
      uploaded_at: new Date(header.receivedAt),
      received_at: now,
      media_type: header.mediaType,
      bytes: header.bytes,
      sha256: header.sha256,
      content: null,
      report: JSON.stringify(header.report),
    })
    .onConflict((conflict) => conflict.doNothing())
    .execute();
}
