import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../../test/support/database.ts';
import { myNumberOf, residentCodeOf } from '../../../../test/support/registry-ids.ts';
import {
  auditMigrations,
  createAuditLog,
  type Database,
  fixedClock,
  migrate,
  parseLgCode,
  tenantScope,
} from '../../../core/index.ts';
import type { NewPerson } from '../events/types.ts';
import {
  type BasicFourQuery,
  checkBasicFour,
  type RegistryContext,
  recordDeath,
  recordMoveIn,
  recordMoveOut,
  recordMoveWithin,
  registryDb,
  registryMigrations,
} from '../index.ts';
import { addressWithinMunicipality, comparableAddress, comparableName } from './comparable-text.ts';

const CHIYODA = tenantScope(parseLgCode('131016'));
const SAPPORO = tenantScope(parseLgCode('011002'));
const clerk = 'staff:00000000-0000-4000-8000-000000000001';
const TODAY = '2025-06-01';

function person(n: number, familyName: string, givenName: string, birthDate: string, sex: 1 | 2 = 2) {
  return {
    residentCode: residentCodeOf(n),
    myNumber: myNumberOf(n),
    familyName,
    givenName,
    familyNameKana: 'テスト',
    givenNameKana: 'テスト',
    sex,
    birthDate,
  } satisfies NewPerson;
}

/** As a signing certificate issued by the 千代田区 counter carries them. */
function certificate(
  name: string,
  dateOfBirth: string,
  address: string,
  sex: '1' | '2' = '2',
): BasicFourQuery {
  return { name, dateOfBirth, sex, address: `東京都千代田区${address}` };
}

describe('checkBasicFour', () => {
  let database: Database;
  let context: RegistryContext;
  const check = (query: BasicFourQuery, scope = CHIYODA, on = TODAY) =>
    checkBasicFour(registryDb(database), scope, query, on);

  beforeAll(async () => {
    database = await openTestDatabase();
    await migrate(database.db, [auditMigrations, registryMigrations]);
    const clock = fixedClock(new Date('2025-06-01T00:00:00Z'));
    context = { database, clock, audit: createAuditLog(database, clock) };
    const moveIn = (p: NewPerson, address: string) =>
      recordMoveIn(context, CHIYODA, clerk, {
        person: p,
        effectiveOn: '2020-04-01',
        address,
        household: { kind: 'new' },
      });
    await moveIn(person(1, '佐藤', '花子', '1950-03-03'), '千代田一丁目1番1号');
    await moveIn(person(2, '鈴木', '一郎', '1960-06-06', 1), '丸の内二丁目3番4号 サンハイツ101号室');
    await moveIn(person(3, '高橋', '次郎', '1970-07-07', 1), '永田町1番2号');
    await recordMoveOut(context, CHIYODA, clerk, {
      residentCode: residentCodeOf(3),
      effectiveOn: '2024-03-31',
      toAddress: '大阪府大阪市北区',
    });
    await moveIn(person(4, '田中', '三郎', '1930-01-01', 1), '九段北一丁目2番3号');
    await recordDeath(context, CHIYODA, clerk, {
      residentCode: residentCodeOf(4),
      effectiveOn: '2025-01-15',
    });
    // Two residents with one name and birth date: the one whose address agrees is reported.
    await moveIn(person(5, '伊藤', '優子', '1990-09-09'), '神田神保町一丁目1番1号');
    await moveIn(person(6, '伊藤', '優子', '1990-09-09'), '外神田二丁目2番2号');
    // Moved within after the card was issued: the card still says the old address.
    await moveIn(person(7, '渡辺', '四郎', '1985-05-05', 1), '飯田橋一丁目1番1号');
    await recordMoveWithin(context, CHIYODA, clerk, {
      residentCode: residentCodeOf(7),
      effectiveOn: '2025-05-01',
      address: '富士見二丁目2番2号',
      household: { kind: 'keep' },
    });
  });
  afterAll(async () => {
    await context.audit.flush();
    await database.close();
  });

  it('matches a current resident on all four items', async () => {
    const result = await check(certificate('佐藤　花子', '1950-03-03', '千代田一丁目1番1号'));
    expect(result).toMatchObject({
      outcome: 'match',
      fields: { name: true, dateOfBirth: true, sex: true, address: true },
      asOf: TODAY,
      candidates: 1,
    });
    expect(result.personId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.householdId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('matches a name written with a half-width space, or several', async () => {
    for (const name of ['佐藤 花子', '佐藤  花子', ' 佐藤\u3000\u3000花子 ']) {
      const result = await check(certificate(name, '1950-03-03', '千代田一丁目1番1号'));
      expect(result.outcome, name).toBe('match');
    }
  });

  it('matches an address written with digits or hyphens', async () => {
    for (const address of [
      '千代田1丁目1番1号',
      '千代田１丁目１－１',
      '千代田1-1-1',
      '千代田一丁目一番一号',
    ]) {
      const result = await check(certificate('佐藤　花子', '1950-03-03', address));
      expect(result.outcome, address).toBe('match');
    }
    const withBuilding = await check(
      certificate('鈴木　一郎', '1960-06-06', '丸の内2-3-4 サンハイツ101号室', '1'),
    );
    expect(withBuilding.outcome).toBe('match');
  });

  it('reports a mismatch, and which item, for a different address or sex', async () => {
    const elsewhere = await check(certificate('佐藤　花子', '1950-03-03', '千代田一丁目1番2号'));
    expect(elsewhere).toMatchObject({
      outcome: 'mismatch',
      fields: { name: true, dateOfBirth: true, sex: true, address: false },
    });
    const otherSex = await check(certificate('佐藤　花子', '1950-03-03', '千代田一丁目1番1号', '1'));
    expect(otherSex).toMatchObject({ outcome: 'mismatch', fields: { sex: false, address: true } });
    const otherRoom = await check(
      certificate('鈴木　一郎', '1960-06-06', '丸の内2-3-4 サンハイツ102号室', '1'),
    );
    expect(otherRoom).toMatchObject({ outcome: 'mismatch', fields: { address: false } });
  });

  it('compares the address the resident lives at on the day asked', async () => {
    const old = certificate('渡辺　四郎', '1985-05-05', '飯田橋一丁目1番1号', '1');
    expect((await check(old)).outcome).toBe('mismatch');
    expect((await check(old, CHIYODA, '2025-04-30')).outcome).toBe('match');
    expect((await check(certificate('渡辺　四郎', '1985-05-05', '富士見二丁目2番2号', '1'))).outcome).toBe(
      'match',
    );
  });

  it('refuses an address of another municipality', async () => {
    const result = await check({
      name: '佐藤　花子',
      dateOfBirth: '1950-03-03',
      sex: '2',
      address: '北海道札幌市千代田一丁目1番1号',
    });
    expect(result).toMatchObject({ outcome: 'mismatch', fields: { address: false } });
  });

  it('reports the best of several residents of one name and birth date', async () => {
    const second = await check(certificate('伊藤　優子', '1990-09-09', '外神田二丁目2番2号'));
    expect(second).toMatchObject({ outcome: 'match', candidates: 2 });
    const first = await check(certificate('伊藤　優子', '1990-09-09', '神田神保町1-1-1'));
    expect(first).toMatchObject({ outcome: 'match', candidates: 2 });
    expect(first.personId).not.toBe(second.personId);
    const neither = await check(certificate('伊藤　優子', '1990-09-09', '岩本町1-1-1'));
    expect(neither).toMatchObject({ outcome: 'mismatch', candidates: 2, fields: { address: false } });
  });

  it('reports a resident who moved out, or died, from the registry state', async () => {
    const gone = await check(certificate('高橋　次郎', '1970-07-07', '永田町1番2号', '1'));
    expect(gone).toMatchObject({ outcome: 'moved-out', fields: { address: true } });
    // Before the move out took effect, the same person was a resident.
    expect(
      (await check(certificate('高橋　次郎', '1970-07-07', '永田町1番2号', '1'), CHIYODA, '2024-03-30'))
        .outcome,
    ).toBe('match');
    const died = await check(certificate('田中　三郎', '1930-01-01', '九段北一丁目2番3号', '1'));
    expect(died.outcome).toBe('deceased');
  });

  it('finds no one for another name, another birth date, or in another municipality', async () => {
    const cases: [BasicFourQuery, typeof CHIYODA][] = [
      [certificate('佐藤　花江', '1950-03-03', '千代田一丁目1番1号'), CHIYODA],
      [certificate('佐藤花子', '1950-03-03', '千代田一丁目1番1号'), CHIYODA],
      [certificate('佐藤　花子', '1950-03-04', '千代田一丁目1番1号'), CHIYODA],
      [certificate('佐藤　花子', '1950-02-30', '千代田一丁目1番1号'), CHIYODA],
      [certificate('', '1950-03-03', '千代田一丁目1番1号'), CHIYODA],
      [
        { ...certificate('佐藤　花子', '1950-03-03', ''), address: '北海道札幌市千代田一丁目1番1号' },
        SAPPORO,
      ],
    ];
    for (const [query, scope] of cases) {
      const result = await check(query, scope);
      expect(result, query.name).toEqual({
        outcome: 'not-found',
        fields: { name: false, dateOfBirth: false, sex: false, address: false },
        asOf: TODAY,
        personId: null,
        householdId: null,
        candidates: 0,
      });
    }
  });
});

describe('comparable text', () => {
  it('folds writings of one name, and keeps 字形 and the 氏/名 boundary', () => {
    expect(comparableName('ＳＭＩＴＨ　ＪＯＨＮ')).toBe('SMITH JOHN');
    expect(comparableName('ｻﾄｳ ﾊﾅｺ')).toBe('サトウ\u3000ハナコ');
    expect(comparableName('髙橋　一郎')).not.toBe(comparableName('高橋　一郎'));
    expect(comparableName('佐藤花子')).not.toBe(comparableName('佐藤　花子'));
    expect(comparableName('  ')).toBeNull();
  });

  it('writes 丁目・番・号 the hyphen way, and leaves town names and rooms alone', () => {
    expect(comparableAddress('千代田一丁目1番1号')).toBe('千代田1-1-1');
    expect(comparableAddress('千代田1丁目1番地の1')).toBe('千代田1-1-1');
    expect(comparableAddress('千代田１ー１ー１')).toBe('千代田1-1-1');
    expect(comparableAddress('千代田1‐1−1')).toBe('千代田1-1-1');
    expect(comparableAddress('一番町十二番三号')).toBe('一番町12-3');
    expect(comparableAddress('二番町5番地')).toBe('二番町5');
    expect(comparableAddress('丸の内二丁目3番4号　サンハイツ101号室')).toBe('丸の内2-3-4 サンハイツ101号室');
    expect(comparableAddress('千代田1-1-1')).not.toBe(comparableAddress('千代田1-1-11'));
  });

  it('takes the municipality off an address written whole', () => {
    const chiyoda = parseLgCode('131016');
    expect(addressWithinMunicipality('東京都千代田区千代田一丁目1番1号', chiyoda)).toBe('千代田一丁目1番1号');
    expect(addressWithinMunicipality('千代田区千代田一丁目1番1号', chiyoda)).toBeUndefined();
    expect(addressWithinMunicipality('北海道札幌市中央区北1条西2丁目', parseLgCode('011011'))).toBe(
      '北1条西2丁目',
    );
    expect(addressWithinMunicipality('札幌市中央区北1条西2丁目', parseLgCode('011011'))).toBe('北1条西2丁目');
    expect(addressWithinMunicipality('東京都千代田区千代田1-1-1', parseLgCode('011002'))).toBeUndefined();
  });
});
