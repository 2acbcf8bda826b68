import type { Kysely } from 'kysely';
import { type FileStore, type LgCode, MachiError } from '../../../core/index.ts';
import { detectType } from '../detect/detect-type.ts';
import type { DetectedType } from '../types.ts';
import { filePartKey, readParts, sha256Of } from './parts.ts';
import type { ReceivedDb } from './tables.ts';
import type { UnsettledParts } from './unsettled-parts.ts';

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

/** Where a receiving transaction keeps part files, and how it learns that it committed. */
export interface PartFiles {
  readonly files: FileStore;
  /** Notes each part file before it is written; the file is settled once its row commits. */
  readonly unsettled: UnsettledParts;
  /** Runs `task` once the receiving transaction has committed (never if it rolls back). */
  readonly afterCommit: (task: () => void) => void;
}

export function refused(detail: string): MachiError {
  return new MachiError('gateway-message-invalid', `Sanitized file: ${detail}`);
}

/**
 * Keeps one part until its file is complete (inside the receiving message's transaction): its
 * row first, then its file, durably, before the transaction commits. A part already kept is
 * left as it is, so a part of a file checked and kept can never change after.
 */
export async function storeFilePart(
  trx: AnyTransaction,
  { files, unsettled, afterCommit }: PartFiles,
  municipalityCode: LgCode,
  part: FilePart,
): Promise<void> {
  const added = await (trx as ReceivedDb)
    .insertInto('sanitize_file_parts')
    .values({
      municipality_code: municipalityCode,
      upload_id: part.uploadId,
      part: part.index,
      data: null,
      data_in_store: true,
    })
    .onConflict((conflict) => conflict.doNothing())
    .returning('part')
    .executeTakeFirst();
  if (!added) return;
  const written = [{ municipalityCode, uploadId: part.uploadId, index: part.index }];
  unsettled.note(written);
  await files.put(filePartKey(municipalityCode, part.uploadId, part.index), part.data);
  afterCommit(() => unsettled.settle(written));
}

/** Bytes of a file's start that tell its type: detectType reads no further. */
const HEAD_BYTES = 64 * 1024 + 1;

/**
 * Checks a file whose parts have arrived against what the internet zone says, and keeps it:
 * every part there, the length and SHA-256 as stated, and content of an allowed output type
 * matching the stated media type. A file that fails is refused and nothing is kept. The parts
 * stay as the file's bytes: the file is not written again whole.
 */
export async function receiveSanitizedFile(
  trx: AnyTransaction,
  files: FileStore,
  municipalityCode: LgCode,
  header: FileHeader,
  now: Date,
): Promise<void> {
  const db = trx as ReceivedDb;
  const parts = await readParts(db, files, municipalityCode, header.uploadId);
  if (!parts) throw refused('a part is missing from the file store.');
  // Part numbers are unique per file (the key): as many as said, numbered from 0, are all of them.
  if (parts.length !== header.parts || parts.at(-1)?.index !== header.parts - 1) {
    throw refused(`${parts.length} of ${header.parts} parts arrived.`);
  }
  const data = parts.map((part) => part.data);
  const bytes = data.reduce((sum, part) => sum + part.length, 0);
  if (bytes !== header.bytes) throw refused(`${bytes} bytes, not ${header.bytes}.`);
  if (sha256Of(data) !== header.sha256) throw refused('the SHA-256 differs.');
  checkContentType(header.mediaType, headOf(data));
  await db
    .insertInto('sanitize_received_files')
    .values(receivedRow(municipalityCode, header, now))
    .onConflict((conflict) => conflict.doNothing())
    .execute();
}

/** A received file's row: what it is, its bytes being its parts' files. */
export function receivedRow(municipalityCode: LgCode, header: Omit<FileHeader, 'parts'>, now: Date) {
  return {
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
  };
}

/** Refuses a file whose content is not of an output type the sanitizer writes as `mediaType`. */
export function checkContentType(mediaType: string, content: Uint8Array): void {
  const expected = CONTENT_OF[mediaType];
  const type = detectType(content.subarray(0, HEAD_BYTES));
  if (!expected?.includes(type)) throw refused(`${mediaType} expected, the content is ${type}.`);
}

/** The first HEAD_BYTES of the parts, joined. */
export function headOf(parts: readonly Uint8Array[]): Uint8Array {
  const head: Uint8Array[] = [];
  let length = 0;
  for (const part of parts) {
    if (length >= HEAD_BYTES) break;
    head.push(part.subarray(0, HEAD_BYTES - length));
    length += head.at(-1)!.length;
  }
  return Buffer.concat(head);
}
