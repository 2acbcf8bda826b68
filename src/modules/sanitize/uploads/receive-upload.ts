import { randomUUID } from 'node:crypto';
import type { AuditLog, Clock, Database, LgCode } from '../../../core/index.ts';
import type { SanitizeReport } from '../report.ts';
import type { Sanitizer } from '../sanitizer.ts';
import type { HeldFiles } from './held-files.ts';
import type { UploadsDb } from './tables.ts';

/** How long an original stays quarantined (default; MACHI_QUARANTINE_DAYS sets it). */
export const DEFAULT_RETENTION_DAYS = 30;

export interface UploadContext {
  readonly database: Database;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly sanitizer: Sanitizer;
  readonly retentionDays: number;
  /** Where a rebuilt file waits for the forwarder, besides the database. */
  readonly held?: HeldFiles;
}

export interface ReceivedUpload {
  readonly uploadId: string;
  readonly report: SanitizeReport;
}

/**
 * Takes one uploaded file: sanitized in a worker (never parsed in this process), then the
 * original quarantined and the rebuilt file kept for the gateway, in one transaction with
 * the audit entry. A refused file is kept too (its original, for the retention period), so
 * that staff can answer "why was my file refused?".
 */
export async function receiveUpload(
  context: UploadContext,
  input: { municipalityCode: LgCode; uploadedBy: string; bytes: Uint8Array },
  now: Date,
): Promise<ReceivedUpload> {
  const { report, output } = await context.sanitizer.sanitize(input.bytes);
  const uploadId = randomUUID();
  await context.database.db.transaction().execute(async (trx) => {
    await (trx as unknown as UploadsDb)
      .insertInto('sanitize_uploads')
      .values({
        municipality_code: input.municipalityCode,
        upload_id: uploadId,
        uploaded_by: input.uploadedBy,
        received_at: now,
        retain_until: new Date(now.getTime() + context.retentionDays * 86_400_000),
        original: input.bytes,
        original_sha256: report.input.sha256,
        outcome: report.outcome,
        report: JSON.stringify(report),
        rebuilt: output ?? null,
        rebuilt_media_type: report.output?.mediaType ?? null,
      })
      .execute();
    await context.audit.append(trx, {
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
    });
  });
  if (output) context.held?.keep(uploadId, output);
  return { uploadId, report };
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

/** Drops the bytes of originals whose retention has ended; their hash and report stay. */
export async function releaseQuarantine(database: Database, now: Date): Promise<number> {
  const result = await (database.db as UploadsDb)
    .updateTable('sanitize_uploads')
    .set({ original: null })
    .where('original', 'is not', null)
    .where('retain_until', '<=', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
