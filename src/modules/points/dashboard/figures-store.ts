import type { Kysely } from 'kysely';
import { parseIsoDate, type TenantScope } from '../../../core/index.ts';
import type { DayFigures, PointsFigures } from './daily-figures.ts';

interface FiguresDaysTable {
  municipality_code: string;
  day: string;
  issued: number;
  spent: number;
  refunded: number;
  expired: number;
  donated: number;
  computed_at: Date;
}

interface FiguresLatestTable {
  municipality_code: string;
  computed_at: Date;
  received_at: Date;
  outstanding: number;
  holders: number;
}

export type FiguresDb = Kysely<{
  points_figures_days: FiguresDaysTable;
  points_figures_latest: FiguresLatestTable;
}>;

export interface StoredFigures extends PointsFigures {
  readonly computedAt: Date;
  readonly receivedAt: Date;
}

/**
 * Keeps the figures the internet zone sent: each day, and the holdings, replaced only by a
 * newer computation. Deliveries may cross, and pushes count different days (five weeks on the
 * first of a day, two days on the others): an older push still brings the days no newer one
 * counted. Answers whether the holdings were kept (this computation was the newest).
 */
export async function storePointsFigures(
  db: FiguresDb,
  scope: TenantScope,
  figures: PointsFigures & { readonly computedAt: string },
  now: Date,
): Promise<boolean> {
  const computedAt = new Date(figures.computedAt);
  const latest = await db
    .selectFrom('points_figures_latest')
    .select('computed_at')
    .where('municipality_code', '=', scope.municipalityCode)
    .forUpdate()
    .executeTakeFirst();
  for (const day of figures.days) {
    parseIsoDate(day.day);
    const row = {
      issued: day.issued,
      spent: day.spent,
      refunded: day.refunded,
      expired: day.expired,
      donated: day.donated,
      computed_at: computedAt,
    };
    await db
      .insertInto('points_figures_days')
      .values({ municipality_code: scope.municipalityCode, day: day.day, ...row })
      .onConflict((conflict) =>
        conflict
          .columns(['municipality_code', 'day'])
          .doUpdateSet(row)
          .where('points_figures_days.computed_at', '<=', computedAt),
      )
      .execute();
  }
  if (latest && latest.computed_at.getTime() > computedAt.getTime()) return false;
  const held = {
    computed_at: computedAt,
    received_at: now,
    outstanding: figures.outstanding,
    holders: figures.holders,
  };
  await db
    .insertInto('points_figures_latest')
    .values({ municipality_code: scope.municipalityCode, ...held })
    .onConflict((conflict) => conflict.column('municipality_code').doUpdateSet(held))
    .execute();
  return true;
}

/** The figures kept for a municipality from `from` on (Japan-time days), or undefined before the first arrive. */
export async function storedPointsFigures(
  db: FiguresDb,
  scope: TenantScope,
  from: string,
): Promise<StoredFigures | undefined> {
  const latest = await db
    .selectFrom('points_figures_latest')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .executeTakeFirst();
  if (!latest) return undefined;
  const rows = await db
    .selectFrom('points_figures_days')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('day', '>=', from)
    .orderBy('day')
    .execute();
  const days: DayFigures[] = rows.map((row) => ({
    // Dates come back as 'YYYY-MM-DD' (core/db sets both drivers' parsers so).
    day: row.day,
    issued: Number(row.issued),
    spent: Number(row.spent),
    refunded: Number(row.refunded),
    expired: Number(row.expired),
    donated: Number(row.donated),
  }));
  return {
    days,
    outstanding: Number(latest.outstanding),
    holders: latest.holders,
    computedAt: latest.computed_at,
    receivedAt: latest.received_at,
  };
}
