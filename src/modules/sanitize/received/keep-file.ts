import type { Kysely } from 'kysely';
import type { LgCode } from '../../../core/index.ts';
import { isUploadIn, type UploadKey } from '../upload-keys.ts';
import { filePartKey } from './parts.ts';
import {
  checkContentType,
  type FileHeader,
  headOf,
  type PartFiles,
  receivedRow,
  refused,
} from './receive-file.ts';
import type { ReceivedDb } from './tables.ts';
import type { PartRef } from './unsettled-parts.ts';

// biome-ignore lint/suspicious/noExplicitAny: the receiving zone's transaction, of any tables.
type AnyTransaction = Kysely<any>;

/**
 * A rebuilt file that crossed whole: its bytes, in the pieces they arrived in, whose length
 * and SHA-256 the gateway has checked against `header`.
 */
export interface WholeFile {
  readonly municipalityCode: LgCode;
  readonly header: Omit<FileHeader, 'parts'>;
  readonly content: readonly Uint8Array[];
}

/**
 * Keeps files that crossed whole, each as the one part of its upload (so that reading one is
 * the same for files that came in parts), inside the receiving messages' transaction: the
 * content checked to be of the stated media type, then the rows, then the files written
 * durably before the transaction commits. A file kept already is left as it was; parts an
 * earlier, unfinished delivery in parts left are replaced (their files go once that commits).
 * A file that fails a check refuses the whole batch before anything is written; files written
 * by a transaction that then rolls back go at a later sweep (UnsettledParts).
 */
export async function keepWholeFiles(
  trx: AnyTransaction,
  { files, unsettled, afterCommit }: PartFiles,
  received: readonly WholeFile[],
  now: Date,
): Promise<void> {
  const seen = new Set<string>();
  for (const { municipalityCode, header, content } of received) {
    const key = `${municipalityCode}/${header.uploadId}`;
    if (seen.has(key)) throw refused(`upload ${header.uploadId} is sent twice.`);
    seen.add(key);
    const bytes = content.reduce((sum, piece) => sum + piece.length, 0);
    if (bytes !== header.bytes) throw refused(`${bytes} bytes, not ${header.bytes}.`);
    checkContentType(header.mediaType, headOf(content));
  }
  const db = trx as ReceivedDb;
  const kept = await db
    .selectFrom('sanitize_received_files')
    .select(['municipality_code', 'upload_id'])
    .where(isUploadIn(keysOf(received)))
    .execute();
  const already = new Set(kept.map((row) => `${row.municipality_code}/${row.upload_id}`));
  const fresh = received.filter(
    ({ municipalityCode, header }) => !already.has(`${municipalityCode}/${header.uploadId}`),
  );
  if (fresh.length === 0) return;
  const replaced = await db
    .deleteFrom('sanitize_file_parts')
    .where('part', '>', 0)
    .where(isUploadIn(keysOf(fresh)))
    .returning(['municipality_code', 'upload_id', 'part', 'data_in_store'])
    .execute();
  await db
    .insertInto('sanitize_file_parts')
    .values(
      fresh.map(({ municipalityCode, header }) => ({
        municipality_code: municipalityCode,
        upload_id: header.uploadId,
        part: 0,
        data: null,
        data_in_store: true,
      })),
    )
    .onConflict((conflict) =>
      conflict
        .columns(['municipality_code', 'upload_id', 'part'])
        .doUpdateSet({ data: null, data_in_store: true }),
    )
    .execute();
  const written: PartRef[] = fresh.map(({ municipalityCode, header }) => ({
    municipalityCode,
    uploadId: header.uploadId,
    index: 0,
  }));
  unsettled.note(written);
  await Promise.all(
    fresh.map(({ municipalityCode, header, content }) =>
      files.put(filePartKey(municipalityCode, header.uploadId, 0), content),
    ),
  );
  await db
    .insertInto('sanitize_received_files')
    .values(fresh.map(({ municipalityCode, header }) => receivedRow(municipalityCode, header, now)))
    .execute();
  afterCommit(() => {
    unsettled.settle(written);
    unsettled.note(
      replaced
        .filter((row) => row.data_in_store)
        .map((row) => ({
          municipalityCode: row.municipality_code,
          uploadId: row.upload_id,
          index: row.part,
        })),
    );
  });
}

/** The files' uploads: the key of their rows. */
function keysOf(files: readonly WholeFile[]): UploadKey[] {
  return files.map(({ municipalityCode, header }) => ({ municipalityCode, uploadId: header.uploadId }));
}
