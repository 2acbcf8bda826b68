import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isKatakanaName, isValidCivilDate } from '../../../core/index.ts';
import { parseMyNumber, parseResidentCode } from '../identifiers/index.ts';
import { residentCsvColumns, residentCsvLine } from '../import/csv-format.ts';
import { generateResidents, generateResidentsCsv } from './generate-residents.ts';

function hashOf(rows: Iterable<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const row of rows) hash.update(residentCsvLine(row as never));
  return hash.digest('hex');
}

describe('generateResidents', () => {
  it('is deterministic: the same seed gives the same rows, another seed other rows', () => {
    const first = [...generateResidents({ municipality: '131016', count: 1000, seed: 1 })];
    const again = [...generateResidents({ municipality: '131016', count: 1000, seed: 1 })];
    expect(again).toEqual(first);
    expect(hashOf(again)).toBe(hashOf(first));
    expect(hashOf(generateResidents({ municipality: '131016', count: 1000, seed: 2 }))).not.toBe(
      hashOf(first),
    );
    // Pinned: a change here changes every demo database and benchmark file; make it on purpose.
    expect(residentCsvLine(first[0]!)).toBe(
      '87949500282,284869566282,福島,幸雄,フクシマ,ユキオ,1,1947-11-07,1010062,' +
        '神田駿河台五丁目20番6号 レジデンス旭ハイツ303号室,H1,世帯主,2012-01-14\n',
    );
    expect(hashOf(first)).toBe('72a813deb38290f77769fef91c6bb45e6be08ada97568d041db5f9c78397b5d7');
    // A longer run starts with the same rows (streaming does not depend on the count).
    const longer = [...generateResidents({ municipality: '131016', count: 1500, seed: 1 })].slice(0, 1000);
    expect(hashOf(longer)).toBe(hashOf(first));
  });

  it('makes valid, unique persons in households with exactly one 世帯主', () => {
    const rows = [...generateResidents({ municipality: '011002', count: 30_000, seed: 5 })];
    expect(rows).toHaveLength(30_000);
    const codes = new Set<string>();
    const numbers = new Set<string>();
    const households = new Map<string, { heads: number; surname: string; address: string; size: number }>();
    // Plain checks gathered into one list: 30,000 rows × ten expect() calls would be slow.
    const problems: string[] = [];
    const check = (ok: boolean, what: string) => {
      if (!ok && problems.length < 10) problems.push(what);
    };
    for (const row of rows) {
      check(parseResidentCode(row.resident_code) === row.resident_code, 'resident_code');
      check(parseMyNumber(row.my_number) === row.my_number, 'my_number');
      codes.add(row.resident_code);
      numbers.add(row.my_number);
      check(isKatakanaName(row.family_name_kana) && isKatakanaName(row.given_name_kana), 'kana');
      check(row.sex === '1' || row.sex === '2', 'sex');
      const [y, m, d] = row.birth_date.split('-').map(Number) as [number, number, number];
      check(isValidCivilDate(y, m, d), 'birth_date');
      check(row.address_since >= row.birth_date && row.address_since <= '2025-04-01', 'address_since');
      check(/^0[4-9]\d{5}$/.test(row.postal_code), 'postal_code in 北海道');
      const household = households.get(row.household_key) ?? {
        heads: 0,
        surname: row.family_name,
        address: row.address,
        size: 0,
      };
      household.heads += row.relationship === '世帯主' ? 1 : 0;
      household.size++;
      check(row.family_name === household.surname && row.address === household.address, 'shared');
      households.set(row.household_key, household);
    }
    expect(problems).toEqual([]);
    expect(codes.size).toBe(rows.length);
    expect(numbers.size).toBe(rows.length);
    expect([...households.values()].filter((h) => h.heads !== 1)).toEqual([]);
    const sizes = [...households.values()].map((h) => h.size);
    expect(sizes.filter((s) => s === 1).length / sizes.length).toBeGreaterThan(0.3);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(5); // three generations
    expect(new Set(rows.map((r) => r.family_name)).size).toBeGreaterThan(100);
    expect(new Set(rows.map((r) => r.given_name)).size).toBeGreaterThan(150);
  });

  it('has an ageing population like Japan and addresses with 丁目・番・号 and apartments', () => {
    const rows = [...generateResidents({ municipality: '131016', count: 20_000 })];
    const age = (row: { birth_date: string }) => 2025 - Number(row.birth_date.slice(0, 4));
    const share = (test: (n: number) => boolean) => rows.filter((r) => test(age(r))).length / rows.length;
    expect(share((a) => a >= 65)).toBeGreaterThan(0.2);
    expect(share((a) => a < 15)).toBeLessThan(0.16);
    expect(rows.every((r) => /番\d+号/.test(r.address))).toBe(true);
    const apartments = rows.filter((r) => /号室$/.test(r.address)).length / rows.length;
    expect(apartments).toBeGreaterThan(0.2);
    expect(apartments).toBeLessThan(0.6);
    expect(rows.some((r) => r.address.startsWith('丸の内'))).toBe(true);
    expect(rows.every((r) => /^10[0-2]\d{4}$/.test(r.postal_code))).toBe(true);
  });

  it('refuses an invalid municipality code', () => {
    expect(() => [...generateResidents({ municipality: '131017', count: 1 })]).toThrowError(/check digit/);
  });

  it('streams CSV text with the header first', async () => {
    let text = '';
    for await (const chunk of generateResidentsCsv({ municipality: '472018', count: 2500 })) text += chunk;
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(residentCsvColumns.join(','));
    expect(lines).toHaveLength(2501);
  });
});
