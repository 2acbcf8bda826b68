import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { createProgress } from '../src/cli/progress.ts';

// The commands read their configuration from the environment, as in production.
const dir = mkdtempSync(join(tmpdir(), 'machi-registry-cli-'));
const saved = { ...process.env };
const serverUrl = process.env.MACHI_TEST_DATABASE_URL;
const scratch = `machi_test_${randomBytes(6).toString('hex')}`;

async function admin(statement: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(statement);
  await client.end();
}

beforeAll(async () => {
  process.env.MACHI_DATA_DIR = dir;
  process.env.MACHI_MUNICIPALITIES = '131016,011002';
  if (serverUrl) {
    await admin(`create database ${scratch}`);
    const url = new URL(serverUrl);
    url.pathname = `/${scratch}`;
    process.env.MACHI_MYNUMBER_DATABASE_URL = url.toString();
  }
});
afterAll(async () => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
  if (serverUrl) await admin(`drop database if exists ${scratch} with (force)`);
});

async function run(...argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => {
    out += chunk;
  });
  stderr.on('data', (chunk) => {
    err += chunk;
  });
  const code = await main(argv, stdout, stderr);
  return { code, out, err };
}

describe('machi registry generate', () => {
  it('writes resident CSV to stdout or a file', async () => {
    const printed = await run('registry', 'generate', '--municipality', '131016', '--count', '3');
    expect(printed.code).toBe(0);
    expect(printed.out.trimEnd().split('\n')).toHaveLength(4);
    expect(printed.out.startsWith('resident_code,my_number,')).toBe(true);
    const file = join(dir, 'fifty.csv');
    expect(
      (await run('registry', 'generate', '--municipality', '131016', '--count', '50', '--out', file)).code,
    ).toBe(0);
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(51);
  });

  it('exits 2 on bad options', async () => {
    const badCode = await run('registry', 'generate', '--municipality', '131017', '--count', '3');
    expect(badCode).toMatchObject({ code: 2, out: '' });
    expect(badCode.err).toMatch(/check digit/);
    expect((await run('registry', 'generate', '--municipality', '131016', '--count', 'abc')).err).toMatch(
      /--count must be a whole number/,
    );
    expect((await run('registry', 'generate', '--municipality', '131016')).code).toBe(2);
  });
});

describe('machi registry import', () => {
  it('imports a good file: exit 0 and a summary', async () => {
    const file = join(dir, 'good.csv');
    await run('registry', 'generate', '--municipality', '011002', '--count', '40', '--out', file);
    const result = await run('registry', 'import', '--municipality', '011002', file);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(
      /^Imported 40 of 40 rows into 札幌市 \(011002\) in [\d.]+ s; \d+ households\.\n$/,
    );
    expect(result.err).toMatch(/registry import: [\d,]+ rows/); // a plain progress line, not a TTY bar
    expect(result.err).not.toContain('\x1b');
  });

  it('keeps the good rows of a file with bad ones: exit 1, the first 20 listed', async () => {
    const file = join(dir, 'mixed.csv');
    await run('registry', 'generate', '--municipality', '131016', '--count', '30', '--out', file);
    const lines = readFileSync(file, 'utf8').split('\n');
    // Lines 2–26 (25 rows) get an impossible birth date.
    for (let i = 1; i <= 25; i++) lines[i] = lines[i]!.replace(/,\d{4}-\d{2}-\d{2},/, ',2023-02-30,');
    writeFileSync(file, lines.join('\n'));
    const result = await run('registry', 'import', '--municipality', '131016', file);
    expect(result.code).toBe(1);
    expect(result.out).toContain('Imported 5 of 30 rows');
    expect(result.out).toContain(
      'Rejected 25 rows (the others were kept):\n  line 2: birth_date is not a real calendar day',
    );
    expect(result.out).toContain('  line 21: birth_date');
    expect(result.out).not.toContain('line 22:');
    expect(result.out).toContain('… and 5 more');

    const json = await run('registry', 'import', '--municipality', '131016', file, '--json');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.out);
    expect(report).toMatchObject({ municipality: '131016', rowsRead: 30, imported: 0, rejected: 30 });
    expect(
      report.rejections.filter((r: { reason: string }) => r.reason === 'resident_code is already registered'),
    ).toHaveLength(5);
  });

  it('exits 2 on usage errors', async () => {
    const file = join(dir, 'good.csv');
    const cases: [string[], RegExp][] = [
      [['--municipality', '011002'], /exactly one FILE/],
      [['--municipality', '011002', join(dir, 'missing.csv')], /Cannot read .*ENOENT/],
      [['--municipality', '472018', file], /not served/],
      [['--municipality', '011003', file], /check digit/],
      [[file], /--municipality is required/],
    ];
    for (const [args, message] of cases) {
      const result = await run('registry', 'import', ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err).toMatch(message);
    }
  });
});

describe('progress', () => {
  it('draws a bar with rows/s and ETA on a terminal', () => {
    let time = 0;
    let text = '';
    const stream = Object.assign(new PassThrough(), { isTTY: true });
    stream.on('data', (chunk) => {
      text += chunk;
    });
    const progress = createProgress(stream, 1000, 'import', () => time);
    time = 2000;
    progress.update(250, 5000);
    progress.finish();
    expect(text).toContain(
      '\r\x1b[Kimport ████████░░░░░░░░░░░░░░░░░░░░░░  25%  5,000 rows  2,500 rows/s  ETA 0:06',
    );
    expect(text.endsWith('\n')).toBe(true);
  });
});
