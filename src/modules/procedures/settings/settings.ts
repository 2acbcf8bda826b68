import { CompiledQuery, type Kysely } from 'kysely';
import { coalescedReads, type Database, MachiError, onePer, type TenantScope } from '../../../core/index.ts';
import type { Procedure } from '../catalogue/load-catalogue.ts';

export interface ProcedureSetting {
  readonly procedureId: string;
  readonly enabled: boolean;
  readonly note: { readonly ja: string; readonly en: string } | null;
  readonly version: number;
}

interface SettingsTable {
  municipality_code: string;
  procedure_id: string;
  enabled: boolean;
  note_ja: string | null;
  note_en: string | null;
  version: number;
  updated_at: Date;
}
// biome-ignore lint/suspicious/noExplicitAny: the zone's database or transaction, of any tables.
type AnyDb = Kysely<any>;
const table = (db: AnyDb) => db as Kysely<{ procedure_settings: SettingsTable }>;

/** Every procedure of the catalogue as this municipality offers it (accepted unless turned off). */
export async function procedureSettings(
  db: AnyDb,
  scope: TenantScope,
  catalogue: ReadonlyMap<string, Procedure>,
): Promise<ProcedureSetting[]> {
  const rows = await table(db)
    .selectFrom('procedure_settings')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .execute();
  const set = new Map(rows.map((row) => [row.procedure_id, row]));
  return [...catalogue.keys()].map((procedureId) => {
    const row = set.get(procedureId);
    return {
      procedureId,
      enabled: row?.enabled ?? true,
      note: row?.note_ja ? { ja: row.note_ja, en: row.note_en ?? row.note_ja } : null,
      version: row?.version ?? 0,
    };
  });
}

interface OfferedKey {
  readonly municipalityCode: string;
  readonly procedureId: string;
}

const ENABLED = `
  select s.municipality_code, s.procedure_id, s.enabled
  from unnest($1::char(6)[], $2::text[]) as k(municipality_code, procedure_id)
  join procedure_settings s on s.municipality_code = k.municipality_code and s.procedure_id = k.procedure_id`;

const offeredId = (key: OfferedKey) => `${key.municipalityCode}/${key.procedureId}`;

/**
 * Whether each procedure of the moment's filings is turned off, read together
 * (coalescedReads): the filings of one procedure share a key, so at 500 filings a second
 * this is a statement now and then instead of one a filing.
 */
const enabledReader = onePer((database: Database) =>
  coalescedReads<OfferedKey, { municipality_code: string; procedure_id: string; enabled: boolean }>({
    idOf: offeredId,
    read: async (keys) => {
      const unique = [...new Map(keys.map((key) => [offeredId(key), key])).values()];
      const rows = await database.prepared<{
        municipality_code: string;
        procedure_id: string;
        enabled: boolean;
      }>(
        'procedures_enabled',
        CompiledQuery.raw(ENABLED, [unique.map((k) => k.municipalityCode), unique.map((k) => k.procedureId)]),
      );
      return new Map(
        rows.map((row) => [
          offeredId({ municipalityCode: row.municipality_code, procedureId: row.procedure_id }),
          row,
        ]),
      );
    },
  }),
);

/** Refuses a filing of a procedure this municipality has turned off. */
export async function requireOffered(
  database: Database,
  scope: TenantScope,
  procedureId: string,
): Promise<void> {
  const row = await enabledReader(database)({ municipalityCode: scope.municipalityCode, procedureId });
  if (row && !row.enabled) {
    throw new MachiError('not-found', 'Your municipality does not accept this procedure online.', {
      procedureId,
    });
  }
}

/**
 * Sets one procedure's setting (staff, lgwan) as the next version, or keeps a copy that came
 * through the gateway (portal) unless a newer one is already here. Returns the version kept.
 */
export async function storeProcedureSetting(
  trx: AnyDb,
  scope: TenantScope,
  setting: {
    procedureId: string;
    enabled: boolean;
    note: { ja: string; en: string } | null;
    version?: number;
  },
  now: Date,
): Promise<number> {
  const values = {
    enabled: setting.enabled,
    note_ja: setting.note?.ja ?? null,
    note_en: setting.note?.en ?? null,
    updated_at: now,
  };
  const db = table(trx);
  if (setting.version === undefined) {
    const row = await db
      .insertInto('procedure_settings')
      .values({
        municipality_code: scope.municipalityCode,
        procedure_id: setting.procedureId,
        ...values,
        version: 1,
      })
      .onConflict((conflict) =>
        conflict
          .columns(['municipality_code', 'procedure_id'])
          .doUpdateSet((eb) => ({ ...values, version: eb('procedure_settings.version', '+', 1) })),
      )
      .returning('version')
      .executeTakeFirstOrThrow();
    return row.version;
  }
  await db
    .insertInto('procedure_settings')
    .values({
      municipality_code: scope.municipalityCode,
      procedure_id: setting.procedureId,
      ...values,
      version: setting.version,
    })
    .onConflict((conflict) =>
      conflict
        .columns(['municipality_code', 'procedure_id'])
        .doUpdateSet({ ...values, version: setting.version })
        .where('procedure_settings.version', '<', setting.version!),
    )
    .execute();
  return setting.version;
}
