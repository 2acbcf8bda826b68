// `npm run bench registry-import [persons]`: bulk import of the resident registry on PostgreSQL.
// (a) psql's \copy into a table shaped like registry_persons (same columns and indexes) — the
// floor for loading that file — against (b) `machi registry import` (parse, validate, dedupe,
// persons + households + residence periods) into a fresh registry, run as its own process so
// its peak RSS can be read. Targets: (b) at least half (a)'s rows/s, peak RSS under 400 MB.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { generateResidentsCsv } from '../../src/modules/registry/index.ts';
import type { BenchScenario } from '../run.ts';

const MUNICIPALITY = '131016';
const root = new URL('../../', import.meta.url).pathname;

// registry_persons' shape, with household_key in place of household_id (the CSV has no uuid)
// and the ids the CSV lacks filled in by defaults.
const baselineTable = `
  create table baseline_persons (
    municipality_code char(6) not null default '${MUNICIPALITY}',
    person_id uuid not null default gen_random_uuid(),
    resident_code char(11) not null, my_number char(12) not null,
    family_name text not null, given_name text not null,
    family_name_kana text not null, given_name_kana text not null,
    sex smallint not null check (sex in (1, 2, 9)), birth_date date not null, postal_code char(7),
    address text not null, household_key text not null, relationship text not null,
    status text not null default 'resident', address_since date not null,
    primary key (municipality_code, person_id),
    unique (municipality_code, resident_code), unique (municipality_code, my_number));
  create index on baseline_persons (municipality_code, family_name_kana text_pattern_ops, given_name_kana text_pattern_ops);
  create index on baseline_persons (municipality_code, family_name text_pattern_ops, given_name text_pattern_ops);
  create index on baseline_persons (municipality_code, birth_date);
  create index on baseline_persons (municipality_code, address text_pattern_ops);
  create index on baseline_persons (municipality_code, household_key);`;

async function admin(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

export const scenario: BenchScenario = {
  description: 'registry import of N generated persons: psql \\copy (baseline) vs machi registry import',
  async run(args) {
    const persons = Number(args[0] ?? 1_000_000);
    const serverUrl = process.env.MACHI_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `machi_bench_${randomBytes(4).toString('hex')}`;
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const dir = mkdtempSync(join(tmpdir(), 'machi-bench-'));
    const file = join(dir, 'residents.csv');
    await admin(serverUrl, `create database ${name}`);
    try {
      let started = process.hrtime.bigint();
      await pipeline(
        generateResidentsCsv({ municipality: MUNICIPALITY, count: persons, seed: 1 }),
        createWriteStream(file),
      );
      const generateSeconds = seconds(started);

      await admin(url.toString(), baselineTable);
      const columns =
        'resident_code, my_number, family_name, given_name, family_name_kana, given_name_kana, sex, birth_date, postal_code, address, household_key, relationship, address_since';
      started = process.hrtime.bigint();
      const copy = spawnSync(
        'psql',
        [
          url.toString(),
          '-v',
          'ON_ERROR_STOP=1',
          '-c',
          `\\copy baseline_persons (${columns}) from '${file}' csv header`,
        ],
        { encoding: 'utf8' },
      );
      const baselineSeconds = seconds(started);
      if (copy.status !== 0) throw new Error(`psql failed: ${copy.stderr}`);
      await admin(url.toString(), 'drop table baseline_persons');

      // GNU time's %M is the child's peak resident set in KiB.
      started = process.hrtime.bigint();
      const run = spawnSync(
        '/usr/bin/time',
        [
          '-f',
          'maxrss=%M',
          process.execPath,
          '--import',
          'tsx',
          join(root, 'src/cli/main.ts'),
          'registry',
          'import',
          '--municipality',
          MUNICIPALITY,
          file,
          '--json',
        ],
        {
          encoding: 'utf8',
          cwd: root,
          env: {
            ...process.env,
            MACHI_MYNUMBER_DATABASE_URL: url.toString(),
            MACHI_MUNICIPALITIES: MUNICIPALITY,
          },
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      const importerSeconds = seconds(started);
      if (run.status !== 0 && run.status !== 1) throw new Error(`import failed: ${run.stderr.slice(-2000)}`);
      const report = JSON.parse(run.stdout) as {
        imported: number;
        rejected: number;
        households: number;
        seconds: number;
      };
      const peakRssMB = Math.round(Number(/maxrss=(\d+)/.exec(run.stderr)?.[1] ?? Number.NaN) / 1024);
      const baselineRate = persons / baselineSeconds;
      const importerRate = persons / importerSeconds;
      const ratio = importerRate / baselineRate;
      return {
        persons,
        csvMB: Math.round(statSync(file).size / 2 ** 20),
        generate: {
          seconds: +generateSeconds.toFixed(1),
          rowsPerSecond: Math.round(persons / generateSeconds),
        },
        baseline: {
          tool: 'psql \\copy',
          seconds: +baselineSeconds.toFixed(1),
          rowsPerSecond: Math.round(baselineRate),
        },
        importer: {
          tool: 'machi registry import (whole process: start-up, migrations, persons, households, residences, audit)',
          seconds: +importerSeconds.toFixed(1),
          importSeconds: +report.seconds.toFixed(1),
          rowsPerSecond: Math.round(importerRate),
          imported: report.imported,
          rejected: report.rejected,
          households: report.households,
          peakRssMB,
        },
        ratio: +ratio.toFixed(2),
        targets: { ratio: 0.5, peakRssMB: 400 },
        met: { ratio: ratio >= 0.5, peakRss: peakRssMB < 400 },
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await admin(serverUrl, `drop database if exists ${name} with (force)`);
    }
  },
};
