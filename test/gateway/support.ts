import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Clock } from '../../src/core/index.ts';
import {
  type GatewayNetwork,
  internetZone,
  lgwanZone,
  mynumberZone,
  openZone,
  type RunningZone,
} from '../../src/zones/index.ts';
import { openTestDatabase } from '../support/database.ts';
import { testConfig } from '../support/zone.ts';

export interface ThreeZones {
  readonly internet: RunningZone;
  readonly lgwan: RunningZone;
  readonly mynumber: RunningZone;
  close(): Promise<void>;
}

/** The three zones, each on its own fresh database, joined only by `network`. */
export async function openThreeZones(
  network: GatewayNetwork,
  clock: Clock,
  options: { jpkiDir?: string; env?: Record<string, string> } = {},
): Promise<ThreeZones> {
  const opened: { zone: RunningZone; close: () => Promise<void> }[] = [];
  for (const definition of [internetZone, lgwanZone, mynumberZone]) {
    const database = await openTestDatabase();
    const zone = await openZone(definition, testConfig(undefined, options.jpkiDir, options.env), {
      database,
      clock,
      gateway: network,
    });
    opened.push({
      zone,
      async close() {
        await zone.close();
        await database.close();
      },
    });
  }
  return {
    internet: opened[0]!.zone,
    lgwan: opened[1]!.zone,
    mynumber: opened[2]!.zone,
    async close() {
      // The zones that call lgwan (internet pushes, mynumber pulls) stop before it does.
      const [internet, lgwan, mynumber] = opened;
      for (const item of [internet!, mynumber!, lgwan!]) await item.close();
    },
  };
}

/** Puts residents straight into mynumber's registry table (test data only; the registry module's events do this for real). */
export async function addResidents(
  zone: RunningZone,
  municipalityCode: string,
  people: { sex: 1 | 2 | 9; birthDate: string; status?: 'resident' | 'moved-out' }[],
): Promise<void> {
  for (const [index, person] of people.entries()) {
    const suffix = String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
    await sql`
      insert into registry_persons (municipality_code, person_id, resident_code, my_number, family_name, given_name,
        family_name_kana, given_name_kana, sex, birth_date, address, household_id, relationship, status, address_since)
      values (${municipalityCode}, ${randomUUID()}, ${`${suffix}${String(index % 100).padStart(2, '0')}`},
        ${`${suffix}${String(index % 1000).padStart(3, '0')}`}, 'テスト', '太郎', 'テスト', 'タロウ', ${person.sex},
        ${person.birthDate}, '一丁目1番', ${randomUUID()}, '世帯主', ${person.status ?? 'resident'}, '2020-01-01')`.execute(
      zone.context.database.db,
    );
  }
}

export async function auditActions(zone: RunningZone, action: string): Promise<Record<string, unknown>[]> {
  await zone.context.audit.flush();
  const result = await sql<{ details: Record<string, unknown>; actor: string; target: string | null }>`
    select actor, target, details from audit_log where action = ${action} order by seq`.execute(
    zone.context.database.db,
  );
  return result.rows.map((row) => ({ actor: row.actor, target: row.target, ...row.details }));
}

/** A population.statistics payload counting one man of 5–9, computed at `computedAt`. */
export function statisticsPayload(computedAt: string) {
  return {
    asOf: computedAt.slice(0, 10),
    computedAt,
    inReplyTo: null,
    total: 1,
    bySex: { male: 1, female: 0, notApplicable: 0 },
    byAgeBand: Array.from({ length: 21 }, (_, i) => ({
      fromAge: i * 5,
      toAge: i === 20 ? null : i * 5 + 4,
      count: i === 1 ? 1 : 0,
    })),
  };
}
