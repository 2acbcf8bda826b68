import { createHash, type Hash, randomUUID } from 'node:crypto';
import { type Insertable, sql } from 'kysely';
import {
  type AuditEntry,
  type AuditLog,
  type ChainAppend,
  type Clock,
  type Database,
  type FileStore,
  isChainHeadMoved,
  type LgCode,
  MachiError,
} from '../../../core/index.ts';
import type { SanitizeReport } from '../report.ts';
import type { Sanitizer } from '../sanitizer.ts';
import type { SanitizeUploadsTable, UploadsDb } from './tables.ts';
import { placeOfRow, uploadFileKey } from './upload-files.ts';

/** How long an original stays quarantined (default; MACHI_QUARANTINE_DAYS sets it). */
export const DEFAULT_RETENTION_DAYS = 30;

export interface UploadContext {
  readonly database: Database;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly sanitizer: Sanitizer;
  readonly retentionDays: number;
  /** Where the original and the rebuilt file are kept. */
  readonly files: FileStore;
}

export interface ReceivedUpload {
  readonly uploadId: string;
  readonly report: SanitizeReport;
}

/**
 * Takes one uploaded file: written as it arrives (hashed on the way, at most `maxBytes`),
 * sanitized from there in a worker (never parsed in this process) that writes the rebuilt
 * file beside it, then the original quarantined and the rebuilt file kept for the gateway:
 * the files first, durably, then their row with the audit entry in one transaction, so that
 * a row never names a file a crash lost (a file whose row never came is swept away). A
 * refused file is kept too (its original, for the retention period), so that staff can
 * answer "why was my file refused?".
 */
export async function receiveUpload(
  context: UploadContext,
  input: {
    municipalityCode: LgCode;
    uploadedBy: string;
    content: Uint8Array | AsyncIterable<Uint8Array>;
    maxBytes?: number;
  },
  now: Date,
): Promise<ReceivedUpload> {
  const { files } = context;
  const uploadId = randomUUID();
  const place = { municipalityCode: input.municipalityCode, uploadId, receivedAt: now };
  const hash = createHash('sha256');
  const original = await files.write(
    uploadFileKey(place, 'original'),
    hashed(input.content, hash, input.maxBytes ?? Number.POSITIVE_INFINITY),
  );
  const rebuilt = await files.stage(uploadFileKey(place, 'rebuilt'));
  let report: SanitizeReport;
  try {
    if (original.bytes === 0) throw new MachiError('validation-failed', 'The file is empty.');
    // The original is kept (quarantined) beside it: a kept JPEG scan is read from there.
    report = await context.sanitizer.sanitizeFile(
      { path: original.path, bytes: original.bytes, sha256: hash.digest('hex') },
      rebuilt.path,
      { leaveOutInput: true },
    );
    if (!report.output) await files.discard([rebuilt]);
    await files.commit(report.output ? [original, rebuilt] : [original]);
  } catch (error) {
    await files.discard([original, rebuilt]);
    throw error;
  }
  try {
    await keepUpload(context, input, now, { uploadId, report, rebuilt: report.output !== undefined });
  } catch (error) {
    // No row names them: they go now, not at the next sweep.
    await Promise.allSettled([original, rebuilt].map(({ key }) => files.remove(key)));
    throw error;
  }
  return { uploadId, report };
}

/** The content as it comes, each chunk hashed, refused once it passes `maxBytes`. */
async function* hashed(
  content: Uint8Array | AsyncIterable<Uint8Array>,
  hash: Hash,
  maxBytes: number,
): AsyncIterable<Uint8Array> {
  let bytes = 0;
  for await (const chunk of content instanceof Uint8Array ? [content] : content) {
    bytes += chunk.length;
    if (bytes > maxBytes) {
      throw new MachiError('payload-too-large', `The file is larger than ${maxBytes} bytes.`);
    }
    hash.update(chunk);
    yield chunk;
  }
}

/** Tries of the one statement before the upload goes the locked way (another process appends too). */
const HEAD_ATTEMPTS = 3;

/**
 * The upload's row and its audit entry, committed together. The usual way is one statement,
 * linked to the chain's head this process knows (`appendWithin`): one round trip, where the
 * locked way (a transaction: begin, insert, lock, read the head, append, commit) took six,
 * and left the head unknown to the filings that came next. If another process moved the head,
 * the statement is refused whole and goes again; after a few tries, the locked way.
 */
async function keepUpload(
  context: UploadContext,
  input: { municipalityCode: LgCode; uploadedBy: string },
  now: Date,
  { uploadId, report, rebuilt }: { uploadId: string; report: SanitizeReport; rebuilt: boolean },
): Promise<void> {
  const row = {
    municipality_code: input.municipalityCode,
    upload_id: uploadId,
    uploaded_by: input.uploadedBy,
    received_at: now,
    retain_until: new Date(now.getTime() + context.retentionDays * 86_400_000),
    original_in_store: true,
    original_sha256: report.input.sha256,
    outcome: report.outcome,
    report: JSON.stringify(report),
    rebuilt_in_store: rebuilt,
    rebuilt_media_type: report.output?.mediaType ?? null,
  };
  const entry: AuditEntry = {
    municipalityCode: input.municipalityCode,
    actor: input.uploadedBy,
    action: 'sanitize.upload',
    target: uploadId,
    outcome: report.outcome === 'rebuilt' ? 'success' : 'failure',
    details: {
      type: report.detectedType,
      bytes: report.input.bytes,
      sha256: report.input.sha256,
      removed: report.removed.reduce((sum, item) => sum + item.count, 0),
      reason: report.refusal?.reason ?? null,
    },
  };
  const { audit, database } = context;
  try {
    await audit.appendWithin(
      [entry],
      async (append) => {
        await database.prepared('sanitize_keep_upload', keepStatement(row, append).compile(database.db));
        return { result: undefined, appended: true };
      },
      { attempts: HEAD_ATTEMPTS },
    );
    return;
  } catch (error) {
    if (!isChainHeadMoved(error)) throw error;
  }
  await audit.inTurn(() =>
    database.db.transaction().execute(async (trx) => {
      const db = trx as unknown as UploadsDb;
      await db.insertInto('sanitize_uploads').values(row).execute();
      if (row.outcome === 'rebuilt') {
        const { municipality_code, upload_id, received_at } = row;
        await db
          .insertInto('sanitize_uploads_unsent')
          .values({ municipality_code, upload_id, received_at })
          .execute();
      }
      await audit.append(trx, entry);
    }),
  );
}

/**
 * The row, its entry and (for a rebuilt file) its unsent row in one statement: the entry
 * under the chain's lock, and only with the row.
 */
function keepStatement(row: Insertable<SanitizeUploadsTable>, append: ChainAppend) {
  const columns = Object.keys(row) as (keyof typeof row)[];
  return sql<{ kept: number }>`
    with chain_lock as (select ${append.lock}),
    kept as (
      insert into sanitize_uploads (${sql.join(columns.map((column) => sql.ref(column)))})
      values (${sql.join(columns.map((column) => sql`${row[column]}`))})
      returning municipality_code, upload_id, received_at, outcome
    ), unsent as (
      insert into sanitize_uploads_unsent (municipality_code, upload_id, received_at)
      select municipality_code, upload_id, received_at from kept where outcome = 'rebuilt'
    ), audited as (${append.insert(sql`exists (select 1 from chain_lock) and exists (select 1 from kept)`)})
    select count(*)::int as kept from kept`;
}

/** An upload's report, for the resident who sent it (undefined for anyone else). */
export async function uploadReport(
  database: Database,
  where: { municipalityCode: LgCode; uploadId: string; uploadedBy: string },
): Promise<SanitizeReport | undefined> {
  const row = await (database.db as UploadsDb)
    .selectFrom('sanitize_uploads')
    .select('report')
    .where('municipality_code', '=', where.municipalityCode)
    .where('upload_id', '=', where.uploadId)
    .where('uploaded_by', '=', where.uploadedBy)
    .executeTakeFirst();
  if (!row) return undefined;
  return (typeof row.report === 'string' ? JSON.parse(row.report) : row.report) as SanitizeReport;
}

/** A rebuilt upload of `uploadedBy`'s, for a filing that attaches it: its output's SHA-256. */
export async function rebuiltUpload(
  database: Database,
  where: { municipalityCode: LgCode; uploadId: string; uploadedBy: string },
): Promise<{ sha256: string; mediaType: string } | undefined> {
  const report = await uploadReport(database, where);
  return report?.output ? { sha256: report.output.sha256, mediaType: report.output.mediaType } : undefined;
}

/** Rows a round of `releaseQuarantine` takes. */
const RELEASED_AT_ONCE = 500;

/**
 * Drops the bytes of originals whose retention has ended; their hash and report stay. A file
 * goes before its row says so: a crash between leaves a row whose file is gone, which the next
 * round removes again (no error), never a file no row would release. An original whose rebuilt
 * file takes bytes from it (`keptFromInput`) stays until that file has gone inward: it is the
 * resident's own upload, still on its way; once sent, the rebuilt file is not read again here.
 */
export async function releaseQuarantine(database: Database, files: FileStore, now: Date): Promise<number> {
  const db = database.db as UploadsDb;
  // Rows of before the files moved out of the database.
  const inRows = await db
    .updateTable('sanitize_uploads')
    .set({ original: null })
    .where('original', 'is not', null)
    .where('retain_until', '<=', now)
    .executeTakeFirst();
  let released = Number(inRows.numUpdatedRows);
  for (;;) {
    const due = await db
      .selectFrom('sanitize_uploads')
      .select(['municipality_code', 'upload_id', 'received_at'])
      .where('original_in_store', '=', true)
      .where('retain_until', '<=', now)
      .where((eb) =>
        eb.or([
          // Sent or refused inward: no longer waiting.
          eb.not(
            eb.exists(
              eb
                .selectFrom('sanitize_uploads_unsent as u')
                .select('u.upload_id')
                .whereRef('u.municipality_code', '=', 'sanitize_uploads.municipality_code')
                .whereRef('u.upload_id', '=', 'sanitize_uploads.upload_id'),
            ),
          ),
          eb(sql`report -> 'output' -> 'keptFromInput'`, 'is', null),
        ]),
      )
      .limit(RELEASED_AT_ONCE)
      .execute();
    if (due.length === 0) return released;
    for (const row of due) {
      await files.remove(uploadFileKey(placeOfRow(row), 'original'));
    }
    await db
      .updateTable('sanitize_uploads')
      .set({ original_in_store: false })
      .where('original_in_store', '=', true)
      .where(
        'upload_id',
        'in',
        due.map((row) => row.upload_id),
      )
      .execute();
    released += due.length;
  }
}
