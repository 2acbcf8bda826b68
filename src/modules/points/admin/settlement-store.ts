import { type Kysely, sql } from 'kysely';
import type { TenantScope } from '../../../core/index.ts';
import type { SettlementAccount } from '../settlement/settle-merchants.ts';
import type { SettlementData, SettlementDataLine } from '../settlement/settlement-data.ts';

interface AccountsTable {
  municipality_code: string;
  requester_code: string;
  requester_name: string;
  bank_code: string;
  bank_name: string;
  branch_code: string;
  branch_name: string;
  account_type: '1' | '2';
  account_number: string;
  revision: number;
  updated_at: Date;
  updated_by: string;
}

type Json<T> = T | string;

interface RunsTable {
  municipality_code: string;
  request_id: string;
  settlement_id: string;
  transfer_date: string;
  requested_at: Date;
  requested_by: string;
  outcome: 'settled' | 'refused' | null;
  refusal: Json<{ code: string; detail: string }> | null;
  repeated: boolean | null;
  requester: Json<SettlementAccount> | null;
  merchants: number | null;
  received: number | null;
  fees: number | null;
  payout: number | null;
  skipped: number | null;
  parts: number | null;
  answered_at: Date | null;
}

interface PartsTable {
  municipality_code: string;
  request_id: string;
  part: number;
  lines: Json<SettlementDataLine[]>;
  received_at: Date;
}

export type SettlementAdminDb = Kysely<{
  points_admin_settlement_accounts: AccountsTable;
  points_admin_settlement_runs: RunsTable;
  points_admin_settlement_parts: PartsTable;
}>;

const parsed = <T>(value: Json<T>): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

export interface AdminSettlementAccount extends SettlementAccount {
  /** How many times staff saved it: the internet zone keeps only the newest. */
  readonly revision: number;
  readonly updatedAt: Date;
}

/** One part of the internet zone's answer to a run (points.settlement), as this module reads it. */
export interface SettlementAnswerPart {
  readonly requestId: string;
  readonly settlementId: string;
  readonly transferDate: string;
  readonly part: number;
  readonly parts: number;
  readonly outcome: 'settled' | 'refused';
  readonly refusal: { readonly code: string; readonly detail: string } | null;
  readonly repeated: boolean;
  readonly totals: SettlementData['totals'] | null;
  readonly requester: SettlementAccount | null;
  readonly lines: readonly SettlementDataLine[];
}

/**
 * Where a run stands: asked and not answered (waiting), parts still arriving (receiving),
 * settled with every part here, or refused by the internet zone.
 */
export type RunState = 'waiting' | 'receiving' | 'settled' | 'refused';

export interface AdminSettlementRun {
  readonly requestId: string;
  readonly settlementId: string;
  readonly transferDate: string;
  readonly requestedAt: Date;
  readonly state: RunState;
  readonly refusal: { readonly code: string; readonly detail: string } | null;
  readonly repeated: boolean;
  readonly totals: SettlementData['totals'] | null;
  /** Merchants not paid and why (those of the parts arrived so far). */
  readonly skipped: readonly { merchantId: string; name: string; reason: string }[];
}

/** Keeps the account as the Zengin file writes it (already converted and checked by the caller). */
export async function saveSettlementAccount(
  db: SettlementAdminDb,
  scope: TenantScope,
  account: SettlementAccount,
  staffId: string,
  now: Date,
): Promise<AdminSettlementAccount> {
  const row = {
    requester_code: account.requesterCode,
    requester_name: account.requesterName,
    bank_code: account.bankCode,
    bank_name: account.bankName,
    branch_code: account.branchCode,
    branch_name: account.branchName,
    account_type: account.accountType,
    account_number: account.accountNumber,
    updated_at: now,
    updated_by: staffId,
  };
  const saved = await db
    .insertInto('points_admin_settlement_accounts')
    .values({ municipality_code: scope.municipalityCode, revision: 1, ...row })
    .onConflict((conflict) =>
      conflict
        .column('municipality_code')
        .doUpdateSet((eb) => ({ ...row, revision: eb('points_admin_settlement_accounts.revision', '+', 1) })),
    )
    .returning('revision')
    .executeTakeFirstOrThrow();
  return { ...account, revision: saved.revision, updatedAt: now };
}

export async function settlementAccountOf(
  db: SettlementAdminDb,
  scope: TenantScope,
): Promise<AdminSettlementAccount | undefined> {
  const row = await db
    .selectFrom('points_admin_settlement_accounts')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    requesterCode: row.requester_code,
    requesterName: row.requester_name,
    bankCode: row.bank_code,
    bankName: row.bank_name,
    branchCode: row.branch_code,
    branchName: row.branch_name,
    accountType: row.account_type,
    accountNumber: row.account_number,
    revision: row.revision,
    updatedAt: row.updated_at,
  };
}

export async function recordSettlementRequest(
  db: SettlementAdminDb,
  scope: TenantScope,
  request: { requestId: string; settlementId: string; transferDate: string },
  staffId: string,
  now: Date,
): Promise<void> {
  await db
    .insertInto('points_admin_settlement_runs')
    .values({
      municipality_code: scope.municipalityCode,
      request_id: request.requestId,
      settlement_id: request.settlementId,
      transfer_date: request.transferDate,
      requested_at: now,
      requested_by: staffId,
      outcome: null,
      refusal: null,
      repeated: null,
      requester: null,
      merchants: null,
      received: null,
      fees: null,
      payout: null,
      skipped: null,
      parts: null,
      answered_at: null,
    })
    .execute();
}

/**
 * Keeps one part of the internet zone's answer to a run asked here (the same settlement id and
 * 取組日): the summary on the run, the lines as the part. A part already kept, or an answer to
 * a run this zone never asked for, changes nothing. Returns whether the part was kept.
 */
export async function storeSettlementAnswer(
  db: SettlementAdminDb,
  scope: TenantScope,
  answer: SettlementAnswerPart,
  now: Date,
): Promise<boolean> {
  const run = await db
    .selectFrom('points_admin_settlement_runs')
    .select('answered_at')
    .where('municipality_code', '=', scope.municipalityCode)
    .where('request_id', '=', answer.requestId)
    .where('settlement_id', '=', answer.settlementId)
    .where('transfer_date', '=', answer.transferDate)
    .forUpdate()
    .executeTakeFirst();
  if (!run) return false;
  const kept = await db
    .insertInto('points_admin_settlement_parts')
    .values({
      municipality_code: scope.municipalityCode,
      request_id: answer.requestId,
      part: answer.part,
      lines: JSON.stringify(answer.lines),
      received_at: now,
    })
    .onConflict((conflict) => conflict.columns(['municipality_code', 'request_id', 'part']).doNothing())
    .returning('part')
    .executeTakeFirst();
  if (!kept) return false;
  const totals = answer.totals;
  await db
    .updateTable('points_admin_settlement_runs')
    .set({
      outcome: answer.outcome,
      refusal: answer.refusal ? JSON.stringify(answer.refusal) : null,
      repeated: answer.repeated,
      requester: answer.requester ? JSON.stringify(answer.requester) : null,
      merchants: totals?.merchants ?? null,
      received: totals?.received ?? null,
      fees: totals?.fees ?? null,
      payout: totals?.payout ?? null,
      skipped: totals?.skipped ?? null,
      parts: answer.parts,
      answered_at: run.answered_at ?? now,
    })
    .where('municipality_code', '=', scope.municipalityCode)
    .where('request_id', '=', answer.requestId)
    .execute();
  return true;
}

function totalsOf(row: RunsTable): SettlementData['totals'] | null {
  if (row.merchants === null) return null;
  return {
    merchants: row.merchants,
    received: Number(row.received),
    fees: Number(row.fees),
    payout: Number(row.payout),
    skipped: row.skipped ?? 0,
  };
}

function stateOf(row: RunsTable, arrived: number): RunState {
  if (row.outcome === null) return 'waiting';
  if (row.outcome === 'refused') return 'refused';
  return arrived < (row.parts ?? 1) ? 'receiving' : 'settled';
}

/** The latest runs asked for, newest first, with where each stands. */
export async function settlementRuns(
  db: SettlementAdminDb,
  scope: TenantScope,
  limit = 30,
): Promise<AdminSettlementRun[]> {
  const rows = await db
    .selectFrom('points_admin_settlement_runs')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .orderBy('requested_at', 'desc')
    .limit(limit)
    .execute();
  if (rows.length === 0) return [];
  const parts = await db
    .selectFrom('points_admin_settlement_parts')
    .select(['request_id', 'part', 'lines'])
    .where('municipality_code', '=', scope.municipalityCode)
    .where(
      'request_id',
      'in',
      rows.map((row) => row.request_id),
    )
    .orderBy('request_id')
    .orderBy('part')
    .execute();
  return rows.map((row) => {
    const own = parts.filter((part) => part.request_id === row.request_id);
    return {
      requestId: row.request_id,
      settlementId: row.settlement_id,
      transferDate: String(row.transfer_date),
      requestedAt: row.requested_at,
      state: stateOf(row, own.length),
      refusal: row.refusal === null ? null : parsed(row.refusal),
      repeated: row.repeated ?? false,
      totals: totalsOf(row),
      skipped: own.flatMap((part) =>
        parsed(part.lines).flatMap((line) =>
          line.skipped === null
            ? []
            : [{ merchantId: line.merchantId, name: line.name, reason: line.skipped }],
        ),
      ),
    };
  });
}

/**
 * A settled run of that id with every part here, as data to make its files from: the newest
 * answer (a run asked again answers the same run, so any complete one would do).
 */
export async function settledRunData(
  db: SettlementAdminDb,
  scope: TenantScope,
  settlementId: string,
): Promise<SettlementData | undefined> {
  const runs = await db
    .selectFrom('points_admin_settlement_runs')
    .selectAll()
    .select((eb) =>
      eb
        .selectFrom('points_admin_settlement_parts as p')
        .select(sql<number>`count(*)`.as('n'))
        .whereRef('p.municipality_code', '=', 'points_admin_settlement_runs.municipality_code')
        .whereRef('p.request_id', '=', 'points_admin_settlement_runs.request_id')
        .as('arrived'),
    )
    .where('municipality_code', '=', scope.municipalityCode)
    .where('settlement_id', '=', settlementId)
    .where('outcome', '=', 'settled')
    .orderBy('requested_at', 'desc')
    .execute();
  const run = runs.find((one) => one.requester !== null && Number(one.arrived) >= (one.parts ?? 1));
  const totals = run ? totalsOf(run) : null;
  if (!run || !totals || run.requester === null) return undefined;
  const parts = await db
    .selectFrom('points_admin_settlement_parts')
    .select('lines')
    .where('municipality_code', '=', scope.municipalityCode)
    .where('request_id', '=', run.request_id)
    .orderBy('part')
    .execute();
  return {
    settlementId: run.settlement_id,
    transferDate: String(run.transfer_date),
    repeated: run.repeated ?? false,
    totals,
    requester: parsed(run.requester),
    lines: parts.flatMap((part) => parsed(part.lines)),
  };
}
