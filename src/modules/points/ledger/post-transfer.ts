import { hash } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  type AuditEntry,
  type AuditLog,
  type Clock,
  type Database,
  MachiError,
  parseIsoDate,
  type TenantScope,
  toIsoDate,
} from '../../../core/index.ts';
import { addLot, type LotChoice, takeFromLots } from './lots.ts';
import type { PointsLedgerTables, PointsTransfersTable } from './tables.ts';
import { applyTotals, changeOf, type TotalsChange } from './totals.ts';

/** Why points moved: every transfer says. */
export const transferCodes = [
  'earning',
  'exchange',
  'purchase',
  'premium',
  'payment',
  'refund',
  'order',
  'donation',
  'expiry',
  'settlement',
  'funding',
  'adjustment',
] as const;
export type TransferCode = (typeof transferCodes)[number];

export interface TransferLeg {
  readonly debit: string;
  readonly credit: string;
  /** Whole points, > 0. */
  readonly amount: number;
  /** For a credit into a resident's account: the day after which these points are gone (null: never). */
  readonly expiresOn?: string | null;
}

export interface TransferRequest {
  /** Chosen by the client, unique per municipality: sending it again never posts twice. */
  readonly transferId: string;
  readonly code: TransferCode;
  /** All legs commit together or none does. */
  readonly legs: readonly TransferLeg[];
  /** Ids and counts only (an order id, a programme id), never personal data. */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
  /** Two-phase: hold the points until posted or voided, at most this long. */
  readonly pending?: { readonly timeoutSeconds: number };
}

export type TransferState = PointsTransfersTable['state'];

export interface Transfer {
  readonly transferId: string;
  readonly code: TransferCode;
  readonly state: TransferState;
  readonly amount: number;
  readonly createdAt: Date;
  readonly timeoutAt: Date | null;
  /** True when this transfer id had been posted before: nothing new was posted. */
  readonly repeated: boolean;
}

export interface LedgerContext {
  readonly audit: AuditLog;
  readonly clock: Clock;
  /**
   * The zone's database, where the ledger's hottest statement (a payment batch's one write,
   * postBatchIfUnchanged, outside any transaction) runs prepared, on the pipelined connection:
   * parsed and planned once, and sent while the batch before it is written. Without it, that
   * statement is parsed and planned on every call, and batches are written one at a time.
   */
  readonly database?: Pick<Database, 'prepared' | 'pipelined' | 'kind'>;
  /**
   * Whether payment batches on that database, if it is a PostgreSQL server, commit without
   * waiting for their WAL flush and are answered after one that does (deferred-flush.ts).
   */
  readonly deferredFlush?: boolean;
}

/** Who asked: a resident, merchant, partner, staff member or `system` (audit actor form). */
export type Actor = string;

const TRANSFER_ID = /^[A-Za-z0-9._:-]{1,120}$/;
const MAX_LEGS = 16;
/** Far more than any municipality's points in circulation; keeps every sum an exact integer. */
const MAX_AMOUNT = 1_000_000_000_000;
const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

const invalid = (detail: string) => new MachiError('validation-failed', detail);

export function checkRequest(request: TransferRequest): void {
  if (!TRANSFER_ID.test(request.transferId)) {
    throw invalid('transferId must be 1–120 characters of A–Z, a–z, 0–9 and . _ : -');
  }
  if (!(transferCodes as readonly string[]).includes(request.code)) {
    throw invalid(`code must be one of ${transferCodes.join(', ')}.`);
  }
  if (request.legs.length === 0 || request.legs.length > MAX_LEGS) {
    throw invalid(`A transfer has 1–${MAX_LEGS} legs.`);
  }
  for (const leg of request.legs) {
    if (!Number.isSafeInteger(leg.amount) || leg.amount <= 0 || leg.amount > MAX_AMOUNT) {
      throw invalid('Every amount is a whole number of points greater than zero.');
    }
    if (leg.debit === leg.credit) throw invalid('A leg moves points between two different accounts.');
    if (leg.expiresOn != null) parseIsoDate(leg.expiresOn);
  }
  const timeout = request.pending?.timeoutSeconds;
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_TIMEOUT_SECONDS)) {
    throw invalid(`A reservation lasts 1–${MAX_TIMEOUT_SECONDS} seconds.`);
  }
}

/** What makes two requests the same transfer: everything but the id. */
export function fingerprint(request: TransferRequest): string {
  const canonical = JSON.stringify({
    code: request.code,
    legs: request.legs.map((leg) => [leg.debit, leg.credit, leg.amount, leg.expiresOn ?? null]),
    details: Object.entries(request.details ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)),
    pending: request.pending?.timeoutSeconds ?? null,
  });
  return hash('sha256', canonical);
}

export function transferOf(row: PointsTransfersTable, repeated: boolean): Transfer {
  return {
    transferId: row.transfer_id,
    code: row.code as TransferCode,
    state: row.state,
    amount: Number(row.amount),
    createdAt: new Date(row.created_at),
    timeoutAt: row.timeout_at ? new Date(row.timeout_at) : null,
    repeated,
  };
}

/** Runs `work` in the caller's transaction, or in one of its own. */
export function inTransaction<T>(
  db: Kysely<PointsLedgerTables>,
  work: (trx: Kysely<PointsLedgerTables>) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/**
 * Posts a transfer: every leg or none, each account's rules checked on its locked row, points
 * taken from a resident's earliest-expiring lots, one audit entry, all in one transaction (the
 * caller's, when it passes one: a purchase records its payment in the same commit). The same
 * transfer id again answers the first transfer (repeated: true) without posting; the same id
 * for a different transfer is a conflict.
 */
export async function postTransfer(
  db: Kysely<PointsLedgerTables>,
  context: LedgerContext,
  scope: TenantScope,
  request: TransferRequest,
  actor: Actor,
  options: { lots?: LotChoice } = {},
): Promise<Transfer> {
  checkRequest(request);
  const now = context.clock.now();
  const sha256 = fingerprint(request);
  const amount = request.legs.reduce((sum, leg) => sum + leg.amount, 0);
  const pending = request.pending !== undefined;
  return inTransaction(db, async (trx) => {
    const inserted = await trx
      .insertInto('points_transfers')
      .values({
        municipality_code: scope.municipalityCode,
        transfer_id: request.transferId,
        code: request.code,
        state: pending ? 'pending' : 'posted',
        amount,
        request_sha256: sha256,
        details: JSON.stringify(request.details ?? {}) as never,
        created_at: now,
        timeout_at: pending ? new Date(now.getTime() + (request.pending?.timeoutSeconds ?? 0) * 1000) : null,
        settled_at: pending ? null : now,
      })
      .onConflict((conflict) => conflict.columns(['municipality_code', 'transfer_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted) return earlierTransfer(trx, scope, request.transferId, sha256);

    const changes = new Map<string, TotalsChange>();
    const change = (account: string) => changeOf(changes, account);
    for (const leg of request.legs) {
      if (pending) {
        change(leg.debit).debitsPending += leg.amount;
        change(leg.credit).creditsPending += leg.amount;
      } else {
        change(leg.debit).debitsPosted += leg.amount;
        change(leg.credit).creditsPosted += leg.amount;
      }
    }
    const accounts = await applyTotals(trx, scope, changes);
    await trx
      .insertInto('points_legs')
      .values(
        request.legs.map((leg, index) => ({
          municipality_code: scope.municipalityCode,
          transfer_id: request.transferId,
          leg: index,
          debit_account: leg.debit,
          credit_account: leg.credit,
          amount: leg.amount,
          expires_on: leg.expiresOn ?? null,
        })),
      )
      .execute();
    const lots = options.lots ?? { spendableOn: toIsoDate(now) };
    for (const [index, leg] of request.legs.entries()) {
      if (accounts.get(leg.debit)?.tracksExpiry) {
        const where = { account: leg.debit, transferId: request.transferId, leg: index, amount: leg.amount };
        await takeFromLots(trx, scope, where, lots);
      }
      // Points on hold are not spendable yet: they become a lot when the transfer is posted.
      if (!pending && accounts.get(leg.credit)?.tracksExpiry) {
        const lot = { account: leg.credit, transferId: request.transferId, leg: index, amount: leg.amount };
        await addLot(trx, scope, { ...lot, expiresOn: leg.expiresOn ?? null });
      }
    }
    await context.audit.append(trx, transferAuditEntry(scope, request, actor, amount));
    return transferOf(inserted, false);
  });
}

/** The audit entry of a transfer, the same whether it was posted alone or in a batch. */
export function transferAuditEntry(
  scope: TenantScope,
  request: TransferRequest,
  actor: Actor,
  amount: number,
): AuditEntry {
  return {
    municipalityCode: scope.municipalityCode,
    actor,
    action: request.pending ? 'points.transfer.reserve' : 'points.transfer',
    target: request.transferId,
    outcome: 'success',
    details: { code: request.code, amount, legs: request.legs.length },
  };
}

async function earlierTransfer(
  trx: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  transferId: string,
  sha256: string,
): Promise<Transfer> {
  const row = await trx
    .selectFrom('points_transfers')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('transfer_id', '=', transferId)
    .executeTakeFirstOrThrow();
  if (row.request_sha256 !== sha256) {
    throw new MachiError('conflict', `Transfer id ${transferId} was used for a different transfer.`);
  }
  return transferOf(row, true);
}
