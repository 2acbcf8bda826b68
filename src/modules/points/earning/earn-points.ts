import { type Kysely, sql } from 'kysely';
import {
  ageOn,
  endOfMonthAfter,
  fiscalYearOf,
  MachiError,
  type TenantScope,
  toIsoDate,
} from '../../../core/index.ts';
import { accountId, lockAccount, openAccount } from '../ledger/accounts.ts';
import { inTransaction, type LedgerContext, postTransfer, type Transfer } from '../ledger/post-transfer.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';
import { type CapPeriod, type EarningDb, type Programme, programmeOf } from './programmes.ts';

export interface Grant {
  readonly programmeId: string;
  /** Whose points: the resident's MyKey ID. */
  readonly myKeyId: string;
  /** Chosen by whoever grants (an attendance record, a scan at the event): a retry grants once. */
  readonly grantId: string;
  /** The resident's birth date as the registry has it, for a programme with an age limit. */
  readonly birthDate?: string | null;
}

/** The period a day counts against: '2026-04-01', '2026-04' or 'FY2026' (年度, April to March). */
export function periodOf(period: CapPeriod, day: string): string {
  if (period === 'day') return day;
  if (period === 'month') return day.slice(0, 7);
  return `FY${fiscalYearOf(day)}`;
}

/** The last day of the month `months` after `day`'s month: points then last whole months. */
export function expiryOf(programme: Programme, day: string): string | null {
  return programme.expiryMonths === null ? null : endOfMonthAfter(day, programme.expiryMonths);
}

/** The age limit of a programme, on the day of the grant (Japan time), against the registry's birth date. */
function checkAge(minAge: number, birthDate: string | null | undefined, day: string): void {
  const forWhom = `This programme is for residents aged ${minAge} and over`;
  if (!birthDate) throw new MachiError('not-eligible', `${forWhom}; the registry's birth date is needed.`);
  if (ageOn(birthDate, day) < minAge) throw new MachiError('not-eligible', `${forWhom}.`);
}

/**
 * Grants a programme's points to a resident: the programme active, the person's earnings from
 * it in this period plus this grant within its cap, old enough if it has an age limit, then one transfer from the municipality's
 * earning issuance into the resident's account with the programme's expiry, and the earning
 * recorded — in one transaction. The resident's account row is locked first, so concurrent
 * grants to one person are counted one after another and the cap holds. The same grant id
 * again answers the first grant.
 */
export async function earnPoints(
  db: Kysely<PointsLedgerTables>,
  context: LedgerContext,
  scope: TenantScope,
  grant: Grant,
  actor: string,
): Promise<Transfer> {
  const earnings = db as unknown as EarningDb;
  const programme = await programmeOf(earnings, scope, grant.programmeId);
  const transferId = `earn:${grant.programmeId}:${grant.grantId}`;
  const resident = accountId('resident', grant.myKeyId);
  const now = context.clock.now();
  const day = toIsoDate(now);
  const period = periodOf(programme.capPeriod, day);
  const issuance = await openAccount(db, scope, 'issuance', 'earning', now);
  return inTransaction(db, async (trx) => {
    const request = {
      transferId,
      code: 'earning' as const,
      legs: [
        { debit: issuance, credit: resident, amount: programme.points, expiresOn: expiryOf(programme, day) },
      ],
      details: { programme: programme.programmeId },
    };
    if (!(await lockAccount(trx, scope, resident)))
      throw new MachiError('not-found', 'This MyKey ID has no points account.');
    const tx = trx as unknown as EarningDb;
    const earlier = await tx
      .selectFrom('points_earnings')
      .select('transfer_id')
      .where('municipality_code', '=', scope.municipalityCode)
      .where('transfer_id', '=', transferId)
      .executeTakeFirst();
    // A grant made before is answered as it was, whatever the cap says now.
    if (earlier) return postTransfer(trx, context, scope, request, actor);
    if (!programme.active)
      throw new MachiError('conflict', `The programme ${programme.programmeId} is closed.`);
    if (programme.minAge) checkAge(programme.minAge, grant.birthDate, day);
    const sum = await tx
      .selectFrom('points_earnings')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('points'), sql<number>`0`).as('earned'))
      .where('municipality_code', '=', scope.municipalityCode)
      .where('programme_id', '=', programme.programmeId)
      .where('account_id', '=', resident)
      .where('period', '=', period)
      .executeTakeFirstOrThrow();
    if (Number(sum.earned) + programme.points > programme.capPoints) {
      throw new MachiError(
        'earning-cap-reached',
        `${programme.capPoints} points a ${programme.capPeriod} is the most this programme gives one person.`,
      );
    }
    const transfer = await postTransfer(trx, context, scope, request, actor);
    await tx
      .insertInto('points_earnings')
      .values({
        municipality_code: scope.municipalityCode,
        transfer_id: transferId,
        programme_id: programme.programmeId,
        account_id: resident,
        period,
        points: programme.points,
        earned_at: now,
      })
      .execute();
    return transfer;
  });
}
