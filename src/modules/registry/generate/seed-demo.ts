import { sql } from 'kysely';
import { type AuditLog, type Clock, type Database, type LgCode, tenantScope } from '../../../core/index.ts';
import { importResidents } from '../import/import-residents.ts';
import { generateResidentsCsv } from './generate-residents.ts';

/** What the demo seed needs from the zone (a ZoneContext fits). */
export interface RegistryDemoContext {
  readonly database: Database;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly served: { codes(): LgCode[] };
}

/** Residents per municipality in the demo: enough to search and page through, quick to load. */
export const DEMO_RESIDENTS = 3000;

/**
 * Demo residents for `npm start`: every served municipality whose registry is still empty gets
 * ~3,000 generated residents through the same import as a real file. Idempotent: a
 * municipality that has anyone registered is left alone.
 */
export async function seedRegistryDemo(
  context: RegistryDemoContext,
  count = DEMO_RESIDENTS,
): Promise<number> {
  let seeded = 0;
  for (const code of context.served.codes()) {
    const existing = await sql<{ found: number }>`
      select 1 as found from registry_persons where municipality_code = ${code} limit 1`.execute(
      context.database.db,
    );
    if (existing.rows.length > 0) continue;
    const report = await importResidents(
      context.database,
      tenantScope(code),
      generateResidentsCsv({ municipality: code, count, seed: 1 }),
      { audit: context.audit, actor: 'system:demo-seed', clock: context.clock },
    );
    seeded += report.imported;
  }
  return seeded;
}
