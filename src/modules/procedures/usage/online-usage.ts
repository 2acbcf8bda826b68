import { type Kysely, sql } from 'kysely';
import { fiscalYearRange, type TenantScope } from '../../../core/index.ts';
import type { Procedure } from '../catalogue/load-catalogue.ts';

export interface UsageRow {
  readonly procedureId: string;
  readonly name: { readonly ja: string; readonly en: string };
  readonly online: number;
  readonly paper: number;
  /** online ÷ (online + paper), or null when nothing was filed either way. */
  readonly rate: number | null;
}

interface PaperCountsTable {
  municipality_code: string;
  procedure_id: string;
  fiscal_year: number;
  filings: number;
  updated_at: Date;
  updated_by: string;
}
// biome-ignore lint/suspicious/noExplicitAny: the zone's database, of any tables.
type AnyDb = Kysely<any>;
const paperCounts = (db: AnyDb) => db as Kysely<{ procedure_paper_counts: PaperCountsTable }>;

/**
 * The online usage rate of every procedure for one fiscal year: online filings are the cases
 * the back office received that year (filed from 1 April to 31 March, Japan time); paper ones
 * are what staff entered. Withdrawn filings count: they were filed.
 */
export async function onlineUsage(
  db: AnyDb,
  scope: TenantScope,
  catalogue: ReadonlyMap<string, Procedure>,
  fiscalYear: number,
): Promise<UsageRow[]> {
  const { start, end } = fiscalYearRange(fiscalYear);
  const [online, paper] = await Promise.all([
    sql<{ procedure_id: string; filings: number }>`
      select procedure_id, count(*)::int as filings from procedure_cases
      where municipality_code = ${scope.municipalityCode}
        and submitted_at >= (${start}::date)::timestamp at time zone 'Asia/Tokyo'
        and submitted_at < ((${end}::date + 1)::timestamp) at time zone 'Asia/Tokyo'
      group by procedure_id`.execute(db),
    paperCounts(db)
      .selectFrom('procedure_paper_counts')
      .select(['procedure_id', 'filings'])
      .where('municipality_code', '=', scope.municipalityCode)
      .where('fiscal_year', '=', fiscalYear)
      .execute(),
  ]);
  const onlineOf = new Map(online.rows.map((row) => [row.procedure_id, Number(row.filings)]));
  const paperOf = new Map(paper.map((row) => [row.procedure_id, row.filings]));
  return [...catalogue.values()].map(({ definition }) => {
    const onlineCount = onlineOf.get(definition.id) ?? 0;
    const paperCount = paperOf.get(definition.id) ?? 0;
    const all = onlineCount + paperCount;
    return {
      procedureId: definition.id,
      name: definition.name,
      online: onlineCount,
      paper: paperCount,
      rate: all === 0 ? null : onlineCount / all,
    };
  });
}

/** Staff enter (or correct) the paper count of one procedure and fiscal year. */
export async function setPaperCount(
  trx: AnyDb,
  scope: TenantScope,
  entry: { procedureId: string; fiscalYear: number; filings: number; by: string },
  now: Date,
): Promise<void> {
  const values = { filings: entry.filings, updated_at: now, updated_by: entry.by };
  await paperCounts(trx)
    .insertInto('procedure_paper_counts')
    .values({
      municipality_code: scope.municipalityCode,
      procedure_id: entry.procedureId,
      fiscal_year: entry.fiscalYear,
      ...values,
    })
    .onConflict((conflict) =>
      conflict.columns(['municipality_code', 'procedure_id', 'fiscal_year']).doUpdateSet(values),
    )
    .execute();
}
