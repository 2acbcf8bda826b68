import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
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

/**
 * Joins a file's parts and keeps the file, after checking it is what the internet zone says:
 * every part there, the length and SHA-256 as stated, and content of an allowed output type
 * matching the stated media type. A file that fails is refused and nothing is kept.
 */
export async function receiveSanitizedFile(
  trx: AnyTransaction,
  municipalityCode: LgCode,
  header: FileHeader,
  now: Date,
): Promise<void> {
  const db = trx as ReceivedDb;
  const parts = await db
    .selectFrom('sanitize_file_parts')
    .select(['part', 'data'])
    .where('municipality_code', '=', municipalityCode)
    .where('upload_id', '=', header.uploadId)
    .orderBy('part')
    .execute();
  if (parts.length !== header.parts || parts.some((row, index) => row.part !== index)) {
    throw refused(`${parts.length} of ${header.parts} parts arrived.`);
  }
  const content = Buffer.concat(parts.map((row) => row.data));
  if (content.length !== header.bytes) throw refused(`${content.length} bytes, not ${header.bytes}.`);
  if (createHash('sha256').update(content).digest('hex') !== header.sha256)
    throw refused('the SHA-256 differs.');
  const expected = CONTENT_OF[header.mediaType];
  const found = detectType(content);
  if (!expected?.includes(found)) throw refused(`${header.mediaType} expected, the content is ${found}.`);
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
      content,
      report: JSON.stringify(header.report),
    })
    .onConflict((conflict) => conflict.doNothing())
    .execute();
  await db
    .deleteFrom('sanitize_file_parts')
    .where('municipality_code', '=', municipalityCode)
    .where('upload_id', '=', header.uploadId)
    .execute();
}
