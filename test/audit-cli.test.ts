import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditMigrations,
  createAuditLog,
  type Database,
  type LgCode,
  loadConfig,
  migrate,
  openDatabase,
  systemClock,
} from '../src/core/index.ts';
import { runMachi } from './support/machi.ts';

// The CLI reads its configuration from the environment; these are set for this file only.
const ENV = [
  'MACHI_DATA_DIR',
  'MACHI_LGWAN_DATABASE_URL',
  'MACHI_INTERNET_DATABASE_URL',
  'MACHI_MYNUMBER_DATABASE_URL',
];
const saved = new Map(ENV.map((name) => [name, process.env[name]]));
let dataDir: string;

async function machi(...argv: string[]) {
  const { code, stdout, stderr } = await runMachi(...argv);
  return { code, out: stdout, err: stderr };
}

/** Opens the zone's PGlite directory directly, as the zone itself would. */
async function withZoneDatabase(zone: 'lgwan' | 'mynumber', work: (db: Database['db']) => Promise<void>) {
  const database = await openDatabase({ dataDir: loadConfig().zones[zone].dataDir });
  try {
    await work(database.db);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'machi-audit-cli-'));
  for (const name of ENV) delete process.env[name];
  process.env.MACHI_DATA_DIR = dataDir;
  const database = await openDatabase({ dataDir: loadConfig().zones.lgwan.dataDir });
  await migrate(database.db, [auditMigrations]);
  const audit = createAuditLog(database, systemClock);
  for (let n = 1; n <= 25; n += 1) {
    await audit.record({
      municipalityCode: '131016' as LgCode,
      actor: `staff:${n}`,
      action: 'registry.person.read',
      target: `person:${n}`,
      reason: n === 25 ? 'evil\u001b[2Jreason' : 'test',
      outcome: 'success',
      details: { n },
    });
  }
  await database.close();
});

afterAll(() => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('machi audit verify / tail: usage errors (exit 2, nothing opened)', () => {
  it.each([
    [['audit', 'verify'], /--zone is required/],
    [['audit', 'verify', '--zone', 'city-hall'], /Zone must be one of internet, lgwan, mynumber/],
    [['audit', 'verify', '--zone', 'lgwan', '--expect-head', '12'], /--expect-head: .*SEQ:HASH/],
    [['audit', 'verify', '--zone', 'lgwan', '--bogus'], /Unknown option '--bogus'/],
    [['audit', 'tail'], /--zone is required/],
    [['audit', 'tail', '--zone', 'lgwan', '--limit', '0'], /--limit must be a whole number from 1 to 10000/],
    [['audit', 'tail', '--zone', 'lgwan', '--limit', 'lots'], /--limit must be/],
  ])('%j', async (argv, message) => {
    const { code, out, err } = await machi(...argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err).toMatch(/--help/);
  });

  it('documents itself under --help', async () => {
    const { code, out } = await machi('audit', 'verify', '--help');
    expect(code).toBe(0);
    expect(out).toMatch(/--expect-head SEQ:HASH/);
  });
});

describe('machi audit verify', () => {
  let head = '';

  it('says ok with the row count and head on an intact chain (exit 0)', async () => {
    const { code, out, err } = await machi('audit', 'verify', '--zone', 'lgwan');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^ok: 25 rows, head 25:[0-9a-f]{64}\n$/);
    head = out.trim().split(' ').at(-1)!;
  });

  it('prints JSON and checks a saved anchor', async () => {
    const { code, out } = await machi('audit', 'verify', '--zone', 'lgwan', '--json', '--expect-head', head);
    expect(code).toBe(0);
    const [seq, hash] = head.split(':');
    expect(JSON.parse(out)).toEqual({
      zone: 'lgwan',
      ok: true,
      rowsChecked: 25,
      head: { seq: Number(seq), hash },
    });
  });

  it('exits 1 without creating anything when the zone has no database', async () => {
    const { code, err } = await machi('audit', 'verify', '--zone', 'internet');
    expect(code).toBe(1);
    expect(err).toMatch(/internet zone has no database/);
    expect(existsSync(join(dataDir, 'internet'))).toBe(false);
  });

  it('exits 1 and says so when the database has no audit_log table', async () => {
    // A copy of the lgwan directory without the table: much faster than a fresh initdb.
    const { lgwan, mynumber } = loadConfig().zones;
    cpSync(lgwan.dataDir, mynumber.dataDir, { recursive: true });
    await withZoneDatabase('mynumber', async (db) => {
      await sql`drop table audit_log`.execute(db);
    });
    const { code, err } = await machi('audit', 'verify', '--zone', 'mynumber');
    expect(code).toBe(1);
    expect(err).toMatch(/no audit_log table/);
  });
});

describe('machi audit tail', () => {
  it('lists the last entries oldest first, in Japan time, with control characters escaped', async () => {
    const { code, out } = await machi('audit', 'tail', '--zone', 'lgwan', '--limit', '3');
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^seq {2}at/);
    expect(lines.slice(1).map((line) => line.split('  ')[0])).toEqual(['23', '24', '25']);
    expect(lines[3]).toMatch(
      /^25 {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+09:00 {2}131016 {2}staff:25 {2}registry\.person\.read/,
    );
    expect(lines[3]).toContain('evil\\u001b[2Jreason');
    expect(out).not.toContain('\u001b');
  });
});

describe('machi audit verify after tampering', () => {
  beforeAll(async () => {
    await withZoneDatabase('lgwan', async (db) => {
      await db.transaction().execute(async (trx) => {
        await sql`alter table audit_log disable trigger audit_log_no_update`.execute(trx);
        await sql`update audit_log set outcome = 'failure' where seq = 12`.execute(trx);
        await sql`alter table audit_log enable trigger audit_log_no_update`.execute(trx);
      });
    });
  });

  it('names the first broken row and its kind (exit 1), in text and JSON', async () => {
    const text = await machi('audit', 'verify', '--zone', 'lgwan');
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/^audit chain broken at row 12: altered — row 12 no longer matches its hash/);
    expect(text.out).toMatch(/last good row: 11:[0-9a-f]{64} \(11 rows checked\)/);
    const json = await machi('audit', 'verify', '--zone', 'lgwan', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({
      zone: 'lgwan',
      ok: false,
      rowsChecked: 11,
      problem: { kind: 'altered', seq: 12 },
    });
  });
});
