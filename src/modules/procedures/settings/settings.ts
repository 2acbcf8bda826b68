import type { Kysely } from 'kysely';
import { MachiError, type TenantScope } from '../../../core/index.ts';
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

/**
 * The refusal of a filing of a procedure this municipality has turned off (a procedure without
 * a setting is accepted; submissions/before-filing.ts reads it so, with the filing's other reads).
 */
export function notOffered(procedureId: string): MachiError {
  return new MachiError('not-found', 'Your municipality does not accept this procedure online.', {
    procedureId,
  });
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
