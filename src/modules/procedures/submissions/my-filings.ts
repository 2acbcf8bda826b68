import type { Kysely } from 'kysely';
import type { LgCode } from '../../../core/index.ts';
import { sentOf } from './sent.ts';
import type { SubmissionsDb } from './tables.ts';

type Resident = { readonly id: string; readonly municipalityCode: LgCode };

export interface MyFiling {
  readonly submissionId: string;
  readonly receiptNumber: string;
  readonly procedureId: string;
  readonly submittedAt: string;
  /** `submitted` until the back office has it, then its own status (see CaseStatus). */
  readonly status: string;
  readonly version: number;
  /** The office's words to the resident: a request for correction, the reasons of a decision. */
  readonly message: string | null;
  /** The items to correct, when a correction is asked for. */
  readonly fields: readonly string[];
  readonly withdrawalRequested: boolean;
}

function statusOf(row: { status: string | null; sent: boolean }): string {
  return row.status ?? (row.sent ? 'received' : 'submitted');
}

/** The resident's own filings, newest first (one, when `submissionId` is given). */
export async function myFilings(
  // biome-ignore lint/suspicious/noExplicitAny: the zone's database, of any tables.
  db: Kysely<any>,
  resident: Resident,
  submissionId?: string,
): Promise<MyFiling[]> {
  let query = (db as SubmissionsDb)
    .selectFrom('procedure_submissions as s')
    .select([
      's.submission_id',
      's.receipt_number',
      's.procedure_id',
      's.submitted_at',
      sentOf('s').as('sent'),
      's.status',
      's.version',
      's.status_message',
      's.correction_fields',
      's.withdrawal_requested_at',
    ])
    .where('s.municipality_code', '=', resident.municipalityCode)
    .where('s.submitted_by', '=', resident.id);
  if (submissionId) query = query.where('s.submission_id', '=', submissionId);
  const rows = await query.orderBy('s.submitted_at', 'desc').limit(200).execute();
  return rows.map((row) => ({
    submissionId: row.submission_id,
    receiptNumber: row.receipt_number,
    procedureId: row.procedure_id,
    submittedAt: new Date(row.submitted_at).toISOString(),
    status: statusOf(row),
    version: row.version,
    message: row.status_message,
    fields: (typeof row.correction_fields === 'string'
      ? JSON.parse(row.correction_fields)
      : row.correction_fields) as string[],
    withdrawalRequested: row.withdrawal_requested_at !== null,
  }));
}

export interface InboxEntry {
  readonly submissionId: string;
  readonly receiptNumber: string;
  readonly sequence: number;
  readonly status: string;
  readonly message: string | null;
  readonly notice: { readonly noticeId: string; readonly title: string } | null;
  readonly createdAt: string;
  readonly read: boolean;
}

/** The resident's inbox (お知らせ), newest first. */
export async function myInbox(
  // biome-ignore lint/suspicious/noExplicitAny: the zone's database, of any tables.
  db: Kysely<any>,
  resident: Resident,
): Promise<InboxEntry[]> {
  const rows = await (db as SubmissionsDb)
    .selectFrom('procedure_inbox as i')
    .innerJoin('procedure_submissions as s', (join) =>
      join
        .onRef('s.municipality_code', '=', 'i.municipality_code')
        .onRef('s.submission_id', '=', 'i.submission_id'),
    )
    .select([
      'i.submission_id',
      's.receipt_number',
      'i.sequence',
      'i.status',
      'i.message',
      'i.notice_id',
      'i.notice_title',
      'i.created_at',
      'i.read_at',
    ])
    .where('i.municipality_code', '=', resident.municipalityCode)
    .where('i.resident', '=', resident.id)
    .orderBy('i.created_at', 'desc')
    .orderBy('i.sequence', 'desc')
    .limit(200)
    .execute();
  return rows.map((row) => ({
    submissionId: row.submission_id,
    receiptNumber: row.receipt_number,
    sequence: row.sequence,
    status: row.status,
    message: row.message,
    notice: row.notice_id ? { noticeId: row.notice_id, title: row.notice_title ?? '' } : null,
    createdAt: new Date(row.created_at).toISOString(),
    read: row.read_at !== null,
  }));
}

/** One notice's PDF, the resident's own; marks its entry read. */
export async function myNotice(
  // biome-ignore lint/suspicious/noExplicitAny: the zone's database, of any tables.
  db: Kysely<any>,
  resident: Resident,
  noticeId: string,
  now: Date,
): Promise<{ title: string; pdf: Uint8Array } | undefined> {
  const inbox = db as SubmissionsDb;
  const row = await inbox
    .selectFrom('procedure_inbox')
    .select(['notice_title', 'notice_pdf', 'read_at'])
    .where('municipality_code', '=', resident.municipalityCode)
    .where('resident', '=', resident.id)
    .where('notice_id', '=', noticeId)
    .executeTakeFirst();
  if (!row?.notice_pdf) return undefined;
  if (!row.read_at) {
    await inbox
      .updateTable('procedure_inbox')
      .set({ read_at: now })
      .where('municipality_code', '=', resident.municipalityCode)
      .where('notice_id', '=', noticeId)
      .execute();
  }
  return { title: row.notice_title ?? '', pdf: new Uint8Array(row.notice_pdf) };
}
