import { type Kysely, sql } from 'kysely';
import { endOfMonthAfter, MachiError, type TenantScope, toIsoDate } from '../../../core/index.ts';
import { accountId, lockAccount } from '../ledger/accounts.ts';
import { inTransaction, type LedgerContext, postTransfer, type Transfer } from '../ledger/post-transfer.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';
import type { Partner, PartnersDb } from './partners.ts';

export interface Exchange {
  /** Chosen by the partner: the same id again converts once. */
  readonly exchangeId: string;
  readonly myKeyId: string;
  /** The partner's points given up. */
  readonly partnerPoints: number;
}

const EXCHANGE_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** Converted points last to the end of the month a year on, as earned ones do. */
const EXPIRY_MONTHS = 12;

/**
 * Converts a partner's points into a resident's municipal points at the municipality's rate
 * (rounded down): the resident's account locked, today's conversions from this partner plus
 * this one within the daily cap, then one transfer from the partner's account (which runs
 * negative by what the partner owes, invoiced monthly) and the exchange recorded, together.
 */
export async function exchangePoints(
  db: Kysely<PointsLedgerTables>,
  context: LedgerContext,
  scope: TenantScope,
  partner: Partner,
  exchange: Exchange,
): Promise<Transfer & { points: number }> {
  const invalid = (detail: string) => new MachiError('validation-failed', detail);
  if (!EXCHANGE_ID.test(exchange.exchangeId)) throw invalid('exchangeId is 1–64 of A–Z, a–z, 0–9 and . _ -.');
  if (!Number.isSafeInteger(exchange.partnerPoints) || exchange.partnerPoints <= 0) {
    throw invalid('partnerPoints is a whole number greater than zero.');
  }
  if (!partner.active)
    throw new MachiError('forbidden', 'This partner is not converting points at the moment.');
  const points = Math.floor((exchange.partnerPoints * partner.rate.points) / partner.rate.partnerPoints);
  if (points < 1) {
    throw invalid(
      `At least ${Math.ceil(partner.rate.partnerPoints / partner.rate.points)} partner points make one point.`,
    );
  }
  const resident = accountId('resident', exchange.myKeyId);
  const now = context.clock.now();
  const day = toIsoDate(now);
  const request = {
    transferId: `exchange:${partner.partnerId}:${exchange.exchangeId}`,
    code: 'exchange' as const,
    legs: [
      {
        debit: accountId('partner', partner.partnerId),
        credit: resident,
        amount: points,
        expiresOn: endOfMonthAfter(day, EXPIRY_MONTHS),
      },
    ],
    details: { partner: partner.partnerId, partnerPoints: exchange.partnerPoints },
  };
  return inTransaction(db, async (trx) => {
    const tx = trx as unknown as PartnersDb;
    if (!(await lockAccount(trx, scope, resident)))
      throw new MachiError('not-found', 'No resident with this MyKey ID here.');
    const earlier = await tx
      .selectFrom('points_exchanges')
      .select('points')
      .where('municipality_code', '=', scope.municipalityCode)
      .where('partner_id', '=', partner.partnerId)
      .where('exchange_id', '=', exchange.exchangeId)
      .executeTakeFirst();
    // The same exchange again is answered as it was (or refused as a conflict if it differs).
    if (earlier)
      return {
        ...(await postTransfer(trx, context, scope, request, `partner:${partner.partnerId}`)),
        points,
      };
    const today = await tx
      .selectFrom('points_exchanges')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('points'), sql<number>`0`).as('converted'))
      .where('municipality_code', '=', scope.municipalityCode)
      .where('partner_id', '=', partner.partnerId)
      .where('account_id', '=', resident)
      .where('day', '=', day)
      .executeTakeFirstOrThrow();
    if (Number(today.converted) + points > partner.dailyCapPoints) {
      throw new MachiError(
        'exchange-cap-reached',
        `${partner.dailyCapPoints} points a day is the most one resident converts from this partner.`,
      );
    }
    const transfer = await postTransfer(trx, context, scope, request, `partner:${partner.partnerId}`);
    await tx
      .insertInto('points_exchanges')
      .values({
        municipality_code: scope.municipalityCode,
        partner_id: partner.partnerId,
        exchange_id: exchange.exchangeId,
        account_id: resident,
        partner_points: exchange.partnerPoints,
        points,
        day,
        created_at: now,
      })
      .execute();
    return { ...transfer, points };
  });
}

/** What a partner converted in a month (Japan time), which it is invoiced for (1 point = 1 yen). */
export async function partnerInvoice(db: PartnersDb, scope: TenantScope, partnerId: string, month: string) {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new MachiError('validation-failed', 'month is YYYY-MM.');
  const first = `${month}-01`;
  const [year, m] = month.split('-').map(Number) as [number, number];
  const next = new Date(Date.UTC(year, m, 1)).toISOString().slice(0, 10);
  const row = await db
    .selectFrom('points_exchanges')
    .select((eb) => [
      eb.fn.countAll<number>().as('exchanges'),
      eb.fn.coalesce(eb.fn.sum<number>('partner_points'), sql<number>`0`).as('partnerPoints'),
      eb.fn.coalesce(eb.fn.sum<number>('points'), sql<number>`0`).as('points'),
    ])
    .where('municipality_code', '=', scope.municipalityCode)
    .where('partner_id', '=', partnerId)
    .where('day', '>=', first)
    .where('day', '<', next)
    .executeTakeFirstOrThrow();
  return {
    partnerId,
    month,
    exchanges: Number(row.exchanges),
    partnerPoints: Number(row.partnerPoints),
    points: Number(row.points),
    amountYen: Number(row.points),
  };
}
