import type { Kysely } from 'kysely';
import { MachiError, type TenantScope } from '../../../core/index.ts';

export type CapPeriod = 'day' | 'month' | 'fiscal-year';

export interface Programme {
  readonly programmeId: string;
  readonly name: { readonly ja: string; readonly en: string };
  /** Points per grant (a volunteering day, an event, a walk). */
  readonly points: number;
  /** The most one person earns from it in one period (Japan time; 年度 from April). */
  readonly capPoints: number;
  readonly capPeriod: CapPeriod;
  /** Points earned expire at the end of the month this many months later; null: never. */
  readonly expiryMonths: number | null;
  /**
   * Only residents this old or older on the day of the grant (e.g. 65 for Tsu city's bus pass),
   * their birth date read from the registry; null or absent: anyone.
   */
  readonly minAge?: number | null;
  readonly active: boolean;
}

export interface ProgrammesTable {
  municipality_code: string;
  programme_id: string;
  name_ja: string;
  name_en: string;
  points: number;
  cap_points: number;
  cap_period: CapPeriod;
  expiry_months: number | null;
  min_age: number | null;
  active: boolean;
  created_at: Date;
}

export interface EarningsTable {
  municipality_code: string;
  transfer_id: string;
  programme_id: string;
  account_id: string;
  period: string;
  points: number;
  earned_at: Date;
}

export type EarningDb = Kysely<{ points_programmes: ProgrammesTable; points_earnings: EarningsTable }>;

const PROGRAMME_ID = /^[a-z0-9-]{1,40}$/;

export const capPeriods: readonly CapPeriod[] = ['day', 'month', 'fiscal-year'];

/**
 * A programme's terms as the ledger can hold them, or `validation-failed` naming what is wrong:
 * checked where a programme is defined and where staff write one (lgwan) before it is sent.
 */
export function checkProgramme(programme: Programme): void {
  const invalid = (detail: string) => new MachiError('validation-failed', detail);
  if (!PROGRAMME_ID.test(programme.programmeId)) throw invalid('programmeId is 1–40 of a–z, 0–9 and -.');
  for (const name of [programme.name.ja, programme.name.en]) {
    if (name.trim().length === 0 || name.length > 100) throw invalid('A name is 1–100 characters.');
  }
  if (!Number.isSafeInteger(programme.points) || programme.points <= 0)
    throw invalid('points is a whole number > 0.');
  if (!Number.isSafeInteger(programme.capPoints) || programme.capPoints < programme.points) {
    throw invalid('capPoints is a whole number, at least one grant.');
  }
  if (!capPeriods.includes(programme.capPeriod)) throw invalid('capPeriod is day, month or fiscal-year.');
  const months = programme.expiryMonths;
  if (months !== null && (!Number.isSafeInteger(months) || months < 1 || months > 120))
    throw invalid('expiryMonths is a whole number from 1 to 120, or null.');
  const minAge = programme.minAge ?? null;
  if (minAge !== null && (!Number.isSafeInteger(minAge) || minAge < 1 || minAge > 130))
    throw invalid('minAge is a whole number of years from 1 to 130, or null.');
}

/** Defines a programme, or changes its terms (earnings already made stay as they were). */
export async function defineProgramme(db: EarningDb, scope: TenantScope, programme: Programme, now: Date) {
  checkProgramme(programme);
  const minAge = programme.minAge ?? null;
  const row = {
    name_ja: programme.name.ja,
    name_en: programme.name.en,
    points: programme.points,
    cap_points: programme.capPoints,
    cap_period: programme.capPeriod,
    expiry_months: programme.expiryMonths,
    min_age: minAge,
    active: programme.active,
  };
  await db
    .insertInto('points_programmes')
    .values({
      municipality_code: scope.municipalityCode,
      programme_id: programme.programmeId,
      created_at: now,
      ...row,
    })
    .onConflict((conflict) => conflict.columns(['municipality_code', 'programme_id']).doUpdateSet(row))
    .execute();
}

export async function programmeOf(
  db: EarningDb,
  scope: TenantScope,
  programmeId: string,
): Promise<Programme> {
  const row = await db
    .selectFrom('points_programmes')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('programme_id', '=', programmeId)
    .executeTakeFirst();
  if (!row) throw new MachiError('not-found', `No earning programme ${programmeId}.`);
  return {
    programmeId: row.programme_id,
    name: { ja: row.name_ja, en: row.name_en },
    points: row.points,
    capPoints: row.cap_points,
    capPeriod: row.cap_period,
    expiryMonths: row.expiry_months,
    minAge: row.min_age,
    active: row.active,
  };
}
