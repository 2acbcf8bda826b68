import { sql } from 'kysely';
import type { TenantScope } from '../../../core/index.ts';
import { parseIsoDate } from '../dates.ts';
import type { RegistryDb } from '../registry-context.ts';

/** 5-year age bands as in the national census (国勢調査): 0–4 … 95–99, then 100+. */
export const AGE_BAND_COUNT = 21;

export interface PopulationStatistics {
  readonly asOf: string;
  readonly total: number;
  /** ISO/IEC 5218: male 1, female 2, not applicable 9. */
  readonly bySex: { readonly male: number; readonly female: number; readonly notApplicable: number };
  readonly byAgeBand: readonly {
    readonly fromAge: number;
    readonly toAge: number | null;
    readonly count: number;
  }[];
}

/**
 * Counts of the people registered as residents now, with ages counted on `asOf`
 * (a birthday counts from the day itself). Aggregates only: no person's data
 * leaves this function, so the result may cross to the lgwan zone.
 */
export async function populationStatistics(
  db: RegistryDb,
  scope: TenantScope,
  asOfInput: string,
): Promise<PopulationStatistics> {
  const asOf = parseIsoDate(asOfInput, 'asOf');
  const rows = await sql<{ sex: number; band: number; n: number }>`
    select sex,
           least(floor(extract(year from age(${asOf}::date, birth_date)) / 5), ${AGE_BAND_COUNT - 1})::int as band,
           count(*)::int as n
    from registry_persons
    where municipality_code = ${scope.municipalityCode} and status = 'resident' and birth_date <= ${asOf}::date
    group by 1, 2`.execute(db);
  const bySex = { male: 0, female: 0, notApplicable: 0 };
  const bands = Array.from({ length: AGE_BAND_COUNT }, (_, index) => ({
    fromAge: index * 5,
    toAge: index === AGE_BAND_COUNT - 1 ? null : index * 5 + 4,
    count: 0,
  }));
  let total = 0;
  for (const row of rows.rows) {
    const n = Number(row.n);
    total += n;
    if (Number(row.sex) === 1) bySex.male += n;
    else if (Number(row.sex) === 2) bySex.female += n;
    else bySex.notApplicable += n;
    const band = bands[Number(row.band)];
    if (band) band.count += n;
  }
  return { asOf, total, bySex, byAgeBand: bands };
}
