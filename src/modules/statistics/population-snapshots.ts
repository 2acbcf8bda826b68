import { type Kysely, sql } from 'kysely';
import type { Clock, TenantScope } from '../../core/index.ts';

export interface PopulationSnapshot {
  readonly asOf: string;
  readonly computedAt: string;
  readonly total: number;
  readonly bySex: { readonly male: number; readonly female: number; readonly notApplicable: number };
  readonly byAgeBand: readonly {
    readonly fromAge: number;
    readonly toAge: number | null;
    readonly count: number;
  }[];
}

export interface StoredPopulationSnapshot extends PopulationSnapshot {
  readonly receivedAt: string;
}

// biome-ignore lint/suspicious/noExplicitAny: runs in the caller's transaction.
type AnyDb = Kysely<any>;

/**
 * Keeps `snapshot` if it is newer than the one held: snapshots may arrive out of
 * order (a scheduled push overtaking an answer to a request). Returns whether it was kept.
 */
export async function storePopulationSnapshot(
  trx: AnyDb,
  scope: TenantScope,
  snapshot: PopulationSnapshot,
  clock: Clock,
): Promise<boolean> {
  const result = await sql`
    insert into population_snapshots
      (municipality_code, as_of, computed_at, received_at, total, by_sex, by_age_band)
    values (${scope.municipalityCode}, ${snapshot.asOf}, ${snapshot.computedAt}, ${clock.now().toISOString()},
            ${snapshot.total}, ${JSON.stringify(snapshot.bySex)}::jsonb, ${JSON.stringify(snapshot.byAgeBand)}::jsonb)
    on conflict (municipality_code) do update set
      as_of = excluded.as_of, computed_at = excluded.computed_at, received_at = excluded.received_at,
      total = excluded.total, by_sex = excluded.by_sex, by_age_band = excluded.by_age_band
    where population_snapshots.computed_at < excluded.computed_at`.execute(trx);
  return Number(result.numAffectedRows ?? 0) > 0;
}

/** The latest snapshot of the municipality, or undefined if none has arrived yet. */
export async function latestPopulationSnapshot(
  db: AnyDb,
  scope: TenantScope,
): Promise<StoredPopulationSnapshot | undefined> {
  const result = await sql<{
    as_of: string;
    computed_at: Date | string;
    received_at: Date | string;
    total: number;
    by_sex: PopulationSnapshot['bySex'];
    by_age_band: PopulationSnapshot['byAgeBand'];
  }>`
    select as_of::text as as_of, computed_at, received_at, total, by_sex, by_age_band
    from population_snapshots where municipality_code = ${scope.municipalityCode}`.execute(db);
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    asOf: row.as_of,
    computedAt: new Date(row.computed_at).toISOString(),
    receivedAt: new Date(row.received_at).toISOString(),
    total: Number(row.total),
    bySex: row.by_sex,
    byAgeBand: row.by_age_band,
  };
}
