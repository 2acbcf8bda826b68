import { type Kysely, sql } from 'kysely';
import { isMachiError, MachiError, parseIsoDate, type TenantScope } from '../../../core/index.ts';
import { accountId, openAccount } from '../ledger/accounts.ts';
import { type LedgerContext, postTransfer } from '../ledger/post-transfer.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';
import type { PointsMerchantsTable } from '../merchants/merchants.ts';
import { type SettlementLine, settlementReportCsv } from './settlement-report.ts';
import { type ZenginRequester, type ZenginTransfer, zenginFile } from './zengin.ts';

export type SettlementAccount = Omit<ZenginRequester, 'transferDate'>;

interface SettlementTables extends PointsLedgerTables {
  points_merchants: PointsMerchantsTable;
  points_settlement_accounts: {
    municipality_code: string;
    requester_code: string;
    requester_name: string;
    bank_code: string;
    bank_name: string;
    branch_code: string;
    branch_name: string;
    account_type: '1' | '2';
    account_number: string;
  };
  points_settlements: {
    municipality_code: string;
    settlement_id: string;
    transfer_date: string;
    merchants: number;
    received: number;
    fees: number;
    payout: number;
    skipped: string;
    zengin: Uint8Array;
    report: string;
    created_at: Date;
  };
}

export type SettlementDb = Kysely<SettlementTables>;

export interface Settlement {
  readonly settlementId: string;
  readonly transferDate: string;
  /** Merchants paid in this run. */
  readonly merchants: number;
  /** Points the paid merchants held, the fees kept, and the yen paid out (received − fees). */
  readonly received: number;
  readonly fees: number;
  readonly payout: number;
  /** Merchants with points that could not be paid, and why (no bank account, a name the file cannot carry). */
  readonly skipped: readonly { merchantId: string; reason: string }[];
  /** The 総合振込 file for the bank, and a CSV report (UTF-8 with BOM). */
  readonly zengin: Buffer;
  readonly report: string;
  readonly repeated: boolean;
}

/** A settlement run's id, e.g. 2026-04: chosen by whoever starts the run. */
export const SETTLEMENT_ID = /^[A-Za-z0-9-]{1,40}$/;

/** The municipality's own account, from which merchants are paid (set by its staff). */
export async function setSettlementAccount(db: SettlementDb, scope: TenantScope, account: SettlementAccount) {
  // Checked the way the file will write it, so that a settlement never fails on the header.
  zenginFile({ ...account, transferDate: '2000-01-01' }, []);
  const row = {
    requester_code: account.requesterCode,
    requester_name: account.requesterName,
    bank_code: account.bankCode,
    bank_name: account.bankName,
    branch_code: account.branchCode,
    branch_name: account.branchName,
    account_type: account.accountType,
    account_number: account.accountNumber,
  };
  await db
    .insertInto('points_settlement_accounts')
    .values({ municipality_code: scope.municipalityCode, ...row })
    .onConflict((conflict) => conflict.column('municipality_code').doUpdateSet(row))
    .execute();
}

function settlementOf(row: SettlementTables['points_settlements'], repeated: boolean): Settlement {
  return {
    settlementId: row.settlement_id,
    transferDate: String(row.transfer_date),
    merchants: row.merchants,
    received: Number(row.received),
    fees: Number(row.fees),
    payout: Number(row.payout),
    skipped: typeof row.skipped === 'string' ? JSON.parse(row.skipped) : row.skipped,
    zengin: Buffer.from(row.zengin),
    // The BOM the report was written with: a driver may drop it on the way back (PGlite's
    // TextDecoder does), and Excel needs it to read the report as UTF-8.
    report: row.report.startsWith('\uFEFF') ? row.report : `\uFEFF${row.report}`,
    repeated,
  };
}

/** The merchant's bank transfer, or why there cannot be one. */
function zenginTransferOf(merchant: PointsMerchantsTable, payout: number): ZenginTransfer | string {
  if (
    !merchant.bank_code ||
    !merchant.branch_code ||
    !merchant.account_number ||
    !merchant.account_holder_kana
  ) {
    return 'no bank account';
  }
  return {
    bankCode: merchant.bank_code,
    branchCode: merchant.branch_code,
    accountType: merchant.account_type ?? '1',
    accountNumber: merchant.account_number,
    payeeName: merchant.account_holder_kana,
    amount: payout,
    ...(/^[A-Za-z0-9-]{1,10}$/.test(merchant.merchant_id) ? { customerCode: merchant.merchant_id } : {}),
  };
}

/**
 * Settles every merchant (精算): what each holds is paid out in yen, less the municipality's fee
 * (fee_basis_points, rounded down), by one transfer per merchant — payout to `settled:yen`,
 * fee to `fees:settlement` — and one Zengin file for the bank with a CSV report, all in one
 * transaction. Each merchant's account is locked while it is read, so a payment at the same
 * moment lands before or after, never half in. The same settlement id again answers the
 * first run and its file, unchanged. Runs in the caller's transaction when given one (a
 * gateway handler's: the run commits with the message that asked for it).
 */
export async function settleMerchants(
  db: SettlementDb,
  context: LedgerContext,
  scope: TenantScope,
  run: { settlementId: string; transferDate: string },
  actor: string,
): Promise<Settlement> {
  if (!SETTLEMENT_ID.test(run.settlementId)) {
    throw new MachiError('validation-failed', 'settlementId is 1–40 of A–Z, a–z, 0–9 and -.');
  }
  parseIsoDate(run.transferDate);
  const now = context.clock.now();
  const inTransaction = <T>(work: (trx: SettlementDb) => Promise<T>) =>
    db.isTransaction ? work(db) : db.transaction().execute(work);
  return inTransaction(async (trx) => {
    const earlier = await trx
      .selectFrom('points_settlements')
      .selectAll()
      .where('municipality_code', '=', scope.municipalityCode)
      .where('settlement_id', '=', run.settlementId)
      .executeTakeFirst();
    if (earlier) return settlementOf(earlier, true);
    const account = await trx
      .selectFrom('points_settlement_accounts')
      .selectAll()
      .where('municipality_code', '=', scope.municipalityCode)
      .executeTakeFirst();
    if (!account)
      throw new MachiError('conflict', "Set the municipality's bank account for settlement first.");
    const ledger = trx as unknown as Kysely<PointsLedgerTables>;
    const settled = await openAccount(ledger, scope, 'settled', 'yen', now);
    const feesAccount = await openAccount(ledger, scope, 'fees', 'settlement', now);
    const merchants = await trx
      .selectFrom('points_merchants')
      .selectAll()
      .where('municipality_code', '=', scope.municipalityCode)
      .orderBy('merchant_id')
      .execute();

    const transfers: ZenginTransfer[] = [];
    const skipped: { merchantId: string; reason: string }[] = [];
    const lines: SettlementLine[] = [];
    const totals = { received: 0, fees: 0, payout: 0 };
    for (const merchant of merchants) {
      const own = accountId('merchant', merchant.merchant_id);
      const held = await sql<{ available: string }>`
        select credits_posted - debits_posted - debits_pending as available from points_accounts
        where municipality_code = ${scope.municipalityCode} and account_id = ${own} for update`.execute(trx);
      const received = Number(held.rows[0]?.available ?? 0);
      if (received <= 0) continue;
      const fee = Math.floor((received * merchant.fee_basis_points) / 10_000);
      const payout = received - fee;
      let transfer = zenginTransferOf(merchant, payout);
      if (typeof transfer !== 'string') {
        try {
          zenginFile({ ...requesterOf(account), transferDate: run.transferDate }, [transfer]);
        } catch (error) {
          if (!isMachiError(error)) throw error;
          transfer = error.detail ?? error.message;
        }
      }
      if (typeof transfer === 'string') {
        skipped.push({ merchantId: merchant.merchant_id, reason: transfer });
        lines.push({
          merchantId: merchant.merchant_id,
          name: merchant.name,
          received,
          fee: 0,
          payout: 0,
          skipped: transfer,
        });
        continue;
      }
      await postTransfer(
        ledger,
        context,
        scope,
        {
          transferId: `settle:${run.settlementId}:${merchant.merchant_id}`,
          code: 'settlement',
          legs: [
            { debit: own, credit: settled, amount: payout },
            ...(fee > 0 ? [{ debit: own, credit: feesAccount, amount: fee }] : []),
          ],
          details: { settlement: run.settlementId, merchant: merchant.merchant_id },
        },
        actor,
      );
      transfers.push(transfer);
      lines.push({
        merchantId: merchant.merchant_id,
        name: merchant.name,
        received,
        fee,
        payout,
        skipped: null,
      });
      totals.received += received;
      totals.fees += fee;
      totals.payout += payout;
    }
    const zengin = zenginFile({ ...requesterOf(account), transferDate: run.transferDate }, transfers);
    const report = settlementReportCsv(lines);
    const row = {
      municipality_code: scope.municipalityCode,
      settlement_id: run.settlementId,
      transfer_date: run.transferDate,
      merchants: transfers.length,
      ...totals,
      skipped: JSON.stringify(skipped),
      zengin,
      report,
      created_at: now,
    };
    await trx.insertInto('points_settlements').values(row).execute();
    await context.audit.append(trx, {
      municipalityCode: scope.municipalityCode,
      actor,
      action: 'points.settlement',
      target: run.settlementId,
      outcome: 'success',
      details: {
        merchants: transfers.length,
        payout: totals.payout,
        fees: totals.fees,
        skipped: skipped.length,
      },
    });
    return settlementOf(row, false);
  });
}

function requesterOf(row: SettlementTables['points_settlement_accounts']): SettlementAccount {
  return {
    requesterCode: row.requester_code,
    requesterName: row.requester_name,
    bankCode: row.bank_code,
    bankName: row.bank_name,
    branchCode: row.branch_code,
    branchName: row.branch_name,
    accountType: row.account_type,
    accountNumber: row.account_number,
  };
}
