import type { Kysely } from 'kysely';
import { MachiError, type TenantScope } from '../../../core/index.ts';
import { checkProgramme, type Programme } from '../earning/programmes.ts';

interface AdminProgrammesTable {
  municipality_code: string;
  programme_id: string;
  terms: Programme | string;
  updated_at: Date;
  updated_by: string;
}

interface AdminCodeBatchesTable {
  municipality_code: string;
  programme_id: string;
  batch_id: string;
  count: number;
  valid_until: Date;
  created_at: Date;
  created_by: string;
}

export type PointsAdminDb = Kysely<{
  points_admin_programmes: AdminProgrammesTable;
  points_admin_code_batches: AdminCodeBatchesTable;
}>;

export interface CodeBatch {
  readonly programmeId: string;
  readonly batchId: string;
  readonly count: number;
  readonly validUntil: Date;
  readonly createdAt: Date;
}

/** Keeps a programme's terms as staff wrote them (checked as the ledger will check them). */
export async function saveProgramme(
  db: PointsAdminDb,
  scope: TenantScope,
  programme: Programme,
  staffId: string,
  now: Date,
): Promise<void> {
  checkProgramme(programme);
  const row = { terms: JSON.stringify(programme), updated_at: now, updated_by: staffId };
  await db
    .insertInto('points_admin_programmes')
    .values({ municipality_code: scope.municipalityCode, programme_id: programme.programmeId, ...row })
    .onConflict((conflict) => conflict.columns(['municipality_code', 'programme_id']).doUpdateSet(row))
    .execute();
}

export async function adminProgrammes(db: PointsAdminDb, scope: TenantScope): Promise<Programme[]> {
  const rows = await db
    .selectFrom('points_admin_programmes')
    .select('terms')
    .where('municipality_code', '=', scope.municipalityCode)
    .orderBy('programme_id')
    .execute();
  return rows.map((row) => (typeof row.terms === 'string' ? JSON.parse(row.terms) : row.terms) as Programme);
}

/** Records a batch of codes made (not the codes); the same batch id for a programme again is a conflict. */
export async function recordCodeBatch(
  db: PointsAdminDb,
  scope: TenantScope,
  batch: Omit<CodeBatch, 'createdAt'>,
  staffId: string,
  now: Date,
): Promise<void> {
  const taken = await db
    .insertInto('points_admin_code_batches')
    .values({
      municipality_code: scope.municipalityCode,
      programme_id: batch.programmeId,
      batch_id: batch.batchId,
      count: batch.count,
      valid_until: batch.validUntil,
      created_at: now,
      created_by: staffId,
    })
    .onConflict((conflict) => conflict.columns(['municipality_code', 'programme_id', 'batch_id']).doNothing())
    .returning('batch_id')
    .executeTakeFirst();
  if (!taken)
    throw new MachiError('conflict', `A batch ${batch.batchId} was made for this programme already.`);
}

export async function codeBatches(db: PointsAdminDb, scope: TenantScope): Promise<CodeBatch[]> {
  const rows = await db
    .selectFrom('points_admin_code_batches')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
  return rows.map((row) => ({
    programmeId: row.programme_id,
    batchId: row.batch_id,
    count: row.count,
    validUntil: row.valid_until,
    createdAt: row.created_at,
  }));
}
