import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../../test/support/database.ts';
import {
  auditMigrations,
  createAuditLog,
  type Database,
  fixedClock,
  MachiError,
  migrate,
  parseLgCode,
  tenantScope,
} from '../../../core/index.ts';
import { generateResidents, generateResidentsCsv } from '../generate/generate-residents.ts';
import { seedRegistryDemo } from '../generate/seed-demo.ts';
import { registryMigrations } from '../migrations.ts';
import { type ResidentCsvRow, residentCsvHeader, residentCsvLine } from './csv-format.ts';
import { importResidents } from './import-residents.ts';

const chiyoda = tenantScope(parseLgCode('131016'));
const sapporo = tenantScope(parseLgCode('011002'));
const clock = fixedClock(new Date('2025-06-01T03:00:00Z'));
let database: Database;
let audit: ReturnType<typeof createAuditLog>;

beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db, [auditMigrations, registryMigrations]);
  audit = createAuditLog(database, clock);
});
afterAll(async () => {
  await database?.close();
});

const rows = [...generateResidents({ municipality: '131016', count: 12, seed: 7 })];
const row = (i: number, changes: Partial<ResidentCsvRow> = {}) => ({ ...rows[i]!, ...changes });
const line = (i: number, changes: Partial<ResidentCsvRow> = {}) => residentCsvLine(row(i, changes));
const flip = (digits: string) => digits.slice(0, -1) + String((Number(digits.at(-1)) + 1) % 10);

async function count(table: string, scope = chiyoda): Promise<number> {
  const result = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}
    where municipality_code = ${scope.municipalityCode}`.execute(database.db);
  return result.rows[0]!.n;
}

describe('importResidents', () => {
  it('keeps the good rows and reports each bad one by line, without personal values', async () => {
    // Already registered before the file arrives: line 8 repeats this person.
    const first = await importResidents(database, chiyoda, [residentCsvHeader + line(11)], { audit, clock });
    expect(first).toMatchObject({ rowsRead: 1, imported: 1, rejected: 0 });

    const cut = line(9).trimEnd().split(',');
    const text = [
      `\uFEFF${residentCsvHeader}`, // 1
      line(0, { household_key: 'A', relationship: '世帯主', postal_code: '100-0005' }), // 2
      line(1, { resident_code: flip(rows[1]!.resident_code) }), // 3
      line(2, { birth_date: '2023-02-30' }), // 4
      line(3, { family_name_kana: '山田' }), // 5
      line(4, { address: '' }), // 6
      line(5, { resident_code: rows[0]!.resident_code }), // 7
      line(11), // 8
      `${cut.slice(0, 12).join(',')}\n`, // 9
      line(6, { household_key: 'A', relationship: '妻', address: '丸の内一丁目1番1号, 丸の内ビル' }), // 10
      `${line(7).trimEnd().replace(',H', ',"H')}\n`, // 11: a quote opened and never closed
      line(8, { household_key: 'B', relationship: '世帯主', given_name_kana: 'はなこ' }).replace(
        '\n',
        '\r\n',
      ), // 12
      '\n', // 13
      line(10, { household_key: 'C', relationship: '子' }), // 14
      line(9, { my_number: rows[0]!.my_number }), // 15
      line(5, { household_key: 'A', relationship: '世帯主' }), // 16
    ].join('');
    const progress: number[] = [];
    const report = await importResidents(database, chiyoda, [Buffer.from(text)], {
      audit,
      clock,
      onProgress: (p) => progress.push(p.rowsRead),
    });
    expect(report.rejections).toEqual([
      { line: 3, reason: 'resident_code: the check digit does not match' },
      { line: 4, reason: 'birth_date is not a real calendar day' },
      { line: 5, reason: 'family_name_kana must be written in katakana' },
      { line: 6, reason: 'address is empty' },
      { line: 7, reason: 'resident_code already appears on line 2' },
      { line: 8, reason: 'resident_code is already registered' },
      { line: 9, reason: 'expected 13 columns, found 12' },
      { line: 11, reason: 'a quoted field is not closed' },
      { line: 15, reason: 'my_number already appears on line 2' },
      { line: 16, reason: 'the household already has a 世帯主 on line 2' },
    ]);
    expect(report).toMatchObject({
      rowsRead: 14,
      imported: 4,
      rejected: 10,
      households: 3,
      householdsWithoutHead: 1,
    });
    expect(progress.at(-1)).toBe(14);
    const reasons = report.rejections.map((r) => r.reason).join('\n');
    for (const r of rows) expect(reasons).not.toContain(r.resident_code);

    const persons = await sql<{
      resident_code: string;
      given_name_kana: string;
      postal_code: string;
      address: string;
      household_id: string;
      person_id: string;
      status: string;
    }>`select * from registry_persons where municipality_code = ${chiyoda.municipalityCode}
       order by resident_code`.execute(database.db);
    expect(persons.rows.map((p) => p.resident_code).sort()).toEqual(
      [0, 6, 8, 10, 11].map((i) => rows[i]!.resident_code).sort(),
    );
    const byCode = new Map(persons.rows.map((p) => [p.resident_code, p]));
    const head = byCode.get(rows[0]!.resident_code)!;
    const wife = byCode.get(rows[6]!.resident_code)!;
    expect(head.postal_code).toBe('1000005');
    expect(wife.household_id).toBe(head.household_id);
    expect(wife.address).toBe('丸の内一丁目1番1号, 丸の内ビル');
    expect(byCode.get(rows[8]!.resident_code)!.given_name_kana).toBe('ハナコ');
    expect(head.status).toBe('resident');

    const household = await sql<{
      head_person_id: string | null;
    }>`select head_person_id from registry_households
      where municipality_code = ${chiyoda.municipalityCode} and household_id = ${head.household_id}`.execute(
      database.db,
    );
    expect(household.rows).toEqual([{ head_person_id: head.person_id }]);
    const headless = byCode.get(rows[10]!.resident_code)!;
    const noHead = await sql<{ head_person_id: string | null }>`select head_person_id from registry_households
      where municipality_code = ${chiyoda.municipalityCode} and household_id = ${headless.household_id}`.execute(
      database.db,
    );
    expect(noHead.rows).toEqual([{ head_person_id: null }]);

    const residences = await sql<{ valid_from: string; valid_to: string | null; address: string }>`
      select valid_from, valid_to, address from registry_residences
      where municipality_code = ${chiyoda.municipalityCode} and person_id = ${wife.person_id}`.execute(
      database.db,
    );
    expect(residences.rows).toEqual([
      { valid_from: rows[6]!.address_since, valid_to: null, address: wife.address },
    ]);
    expect(await count('registry_residences')).toBe(5);
    expect(await count('registry_households')).toBe(4);

    await audit.flush();
    const entries = await sql<{ action: string; details: unknown; actor: string }>`
      select action, details, actor from audit_log where action = 'registry.import' order by seq`.execute(
      database.db,
    );
    expect(entries.rows.at(-1)).toMatchObject({
      action: 'registry.import',
      actor: 'system',
      details: { rowsRead: 14, imported: 4, rejected: 10, households: 3, householdsWithoutHead: 1 },
    });
  });

  it('refuses a file without the right header as a whole', async () => {
    const refuse = (text: string) => importResidents(database, sapporo, [text], { audit, clock });
    await expect(refuse('')).rejects.toThrowError(/header row is required/);
    await expect(refuse('resident_code,my_number\n')).rejects.toThrowError(/lacks family_name/);
    await expect(refuse(`${residentCsvHeader.trimEnd()},extra\n`)).rejects.toThrowError(MachiError);
    expect(await count('registry_persons', sapporo)).toBe(0);
  });

  it('imports 20,000 generated residents with their households and residences', async () => {
    const report = await importResidents(
      database,
      sapporo,
      generateResidentsCsv({ municipality: '011002', count: 20_000, seed: 3 }),
      { audit, clock, chunkRows: 4000 },
    );
    expect(report).toMatchObject({
      rowsRead: 20_000,
      imported: 20_000,
      rejected: 0,
      householdsWithoutHead: 0,
    });
    expect(await count('registry_persons', sapporo)).toBe(20_000);
    expect(await count('registry_residences', sapporo)).toBe(20_000);
    expect(await count('registry_households', sapporo)).toBe(report.households);
    const orphans = await sql<{ n: number }>`select count(*)::int as n from registry_persons p
      where municipality_code = ${sapporo.municipalityCode} and not exists (select 1 from registry_households h
        where h.municipality_code = p.municipality_code and h.household_id = p.household_id and
              h.head_person_id is not null)`.execute(database.db);
    expect(orphans.rows[0]!.n).toBe(0);

    // Again, with 100 more: the 20,000 are refused as already registered, the 100 are added.
    const again = await importResidents(
      database,
      sapporo,
      generateResidentsCsv({ municipality: '011002', count: 20_100, seed: 3 }),
      { audit, clock, chunkRows: 4000, maxListedRejections: 5 },
    );
    expect(again).toMatchObject({ imported: 100, rejected: 20_000 });
    expect(again.rejections).toHaveLength(5);
    expect(again.rejections[0]!.reason).toBe('resident_code is already registered');
    expect(await count('registry_persons', sapporo)).toBe(20_100);
  });

  it('seeds each served municipality with an empty registry once', async () => {
    const context = {
      database,
      audit,
      clock,
      served: { codes: () => [parseLgCode('472018'), chiyoda.municipalityCode] },
    };
    const started = Date.now();
    expect(await seedRegistryDemo(context, 3000)).toBe(3000); // 千代田区 has residents already
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await count('registry_persons', tenantScope(parseLgCode('472018')))).toBe(3000);
    expect(await seedRegistryDemo(context, 3000)).toBe(0);
  });
});
