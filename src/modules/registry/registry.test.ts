import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/support/database.ts';
import { myNumberOf, residentCodeOf } from '../../../test/support/registry-ids.ts';
import {
  auditMigrations,
  createAuditLog,
  type Database,
  fixedClock,
  MachiError,
  migrate,
  parseLgCode,
  tenantScope,
} from '../../core/index.ts';
import {
  getPersonByResidentCode,
  personHistory,
  type RegistryContext,
  readPerson,
  recordDeath,
  recordMoveIn,
  recordMoveOut,
  recordMoveWithin,
  registerBirth,
  registryDb,
  registryMigrations,
  residenceOn,
  residentsAt,
  searchPersons,
} from './index.ts';

const residentCode = residentCodeOf;
const myNumber = myNumberOf;

const A = tenantScope(parseLgCode('131016'));
const B = tenantScope(parseLgCode('011002'));
const clerk = 'staff:00000000-0000-4000-8000-000000000001';

async function errorOf(
  promise: Promise<unknown>,
): Promise<{ code: string; detail: string; field?: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MachiError)
      return { code: error.code, detail: error.detail, field: error.extensions.field };
    throw error;
  }
  throw new Error('expected an error');
}

describe('registry workflows', () => {
  let database: Database;
  let context: RegistryContext;
  const taro = residentCode(1);
  const hanako = residentCode(2);
  const ichiro = residentCode(3);

  beforeAll(async () => {
    database = await openTestDatabase();
    await migrate(database.db, [auditMigrations, registryMigrations]);
    const clock = fixedClock(new Date('2024-01-01T00:00:00Z'));
    context = { database, clock, audit: createAuditLog(database, clock) };
    await recordMoveIn(context, A, clerk, {
      person: {
        residentCode: taro,
        myNumber: myNumber(1),
        familyName: '山田',
        givenName: '太郎',
        familyNameKana: 'やまだ', // hiragana in, katakana stored
        givenNameKana: 'ﾀﾛｳ', // half-width in, full-width stored
        sex: 1,
        birthDate: '1980-02-29',
      },
      effectiveOn: '2020-04-01',
      address: '千代田一丁目1番1号',
      postalCode: '1000001',
      household: { kind: 'new' },
      fromAddress: '北海道札幌市中央区北1条西2丁目',
      fromMunicipalityCode: parseLgCode('011002'),
    });
    await registerBirth(context, A, clerk, {
      person: {
        residentCode: hanako,
        myNumber: myNumber(2),
        familyName: '山田',
        givenName: '花子',
        familyNameKana: 'ヤマダ',
        givenNameKana: 'ハナコ',
        sex: 2,
        birthDate: '2021-05-10',
      },
      address: '千代田一丁目1番1号',
      household: { kind: 'join', residentCode: taro, relationship: '子' },
    });
  });
  afterAll(async () => {
    await context.audit.flush();
    await database.close();
  });

  it('stores kana as full-width katakana and builds the household', async () => {
    const person = await getPersonByResidentCode(database, A, taro);
    expect(person).toMatchObject({
      familyNameKana: 'ヤマダ',
      givenNameKana: 'タロウ',
      status: 'resident',
      version: 1,
    });
    expect(person.household.headResidentCode).toBe(taro);
    expect(person.household.members.map((m) => [m.residentCode, m.relationship])).toEqual([
      [taro, '世帯主'],
      [hanako, '子'],
    ]);
  });

  it('tracks who lived where across a move within and a move out', async () => {
    const moved = await recordMoveWithin(context, A, clerk, {
      residentCode: taro,
      effectiveOn: '2022-06-01',
      address: '丸の内二丁目2番2号',
      household: { kind: 'keep' },
      expectedVersion: 1,
    });
    expect(moved.version).toBe(2);
    await recordMoveOut(context, A, clerk, {
      residentCode: taro,
      effectiveOn: '2023-03-31',
      toAddress: '大阪府大阪市北区',
      expectedVersion: 2,
    });
    const db = registryDb(database);
    const on = async (date: string) => (await residenceOn(db, A, taro, date)).residence?.address ?? null;
    expect(await on('2020-03-31')).toBeNull();
    expect(await on('2020-04-01')).toBe('千代田一丁目1番1号');
    expect(await on('2022-05-31')).toBe('千代田一丁目1番1号');
    expect(await on('2022-06-01')).toBe('丸の内二丁目2番2号');
    expect(await on('2023-03-30')).toBe('丸の内二丁目2番2号');
    expect(await on('2023-03-31')).toBeNull();

    const at = async (prefix: string, date: string) =>
      (await residentsAt(db, A, prefix, date)).items.map((item) => item.residentCode);
    expect(await at('千代田一丁目', '2021-06-01')).toEqual([taro, hanako]);
    expect(await at('千代田一丁目', '2022-06-01')).toEqual([hanako]);
    expect(await at('丸の内', '2022-07-01')).toEqual([taro]);
    expect(await at('丸の内', '2023-04-01')).toEqual([]);
    expect(await at('千代田一丁目', '2021-06-01')).not.toContain(ichiro);

    const history = await personHistory(db, A, taro);
    expect(history.events.map((e) => [e.kind, e.effectiveOn])).toEqual([
      ['move-in', '2020-04-01'],
      ['move-within', '2022-06-01'],
      ['move-out', '2023-03-31'],
    ]);
    expect(history.residences.map((r) => [r.validFrom, r.validTo])).toEqual([
      ['2020-04-01', '2022-06-01'],
      ['2022-06-01', '2023-03-31'],
    ]);

    const after = await getPersonByResidentCode(database, A, hanako);
    expect(after.household.headResidentCode).toBeNull();
    expect(after.household.members.map((m) => m.residentCode)).toEqual([hanako]);
    const gone = await getPersonByResidentCode(database, A, taro);
    expect(gone).toMatchObject({ status: 'moved-out', leftOn: '2023-03-31', version: 3 });
  });

  it('rejects impossible sequences with conflict', async () => {
    const cases = [
      () =>
        recordMoveWithin(context, A, clerk, {
          residentCode: taro,
          effectiveOn: '2023-05-01',
          address: '神田三丁目',
          household: { kind: 'keep' },
        }),
      () => recordDeath(context, A, clerk, { residentCode: taro, effectiveOn: '2023-05-01' }),
      () => recordMoveOut(context, A, clerk, { residentCode: hanako, effectiveOn: '2021-05-09' }),
      () =>
        recordMoveWithin(context, A, clerk, {
          residentCode: hanako,
          effectiveOn: '2022-01-01',
          address: '神田三丁目',
          household: { kind: 'keep' },
          expectedVersion: 7,
        }),
      () =>
        recordMoveWithin(context, A, clerk, {
          residentCode: hanako,
          effectiveOn: '2021-05-10',
          address: '神田三丁目',
          household: { kind: 'keep' },
        }),
      () =>
        registerBirth(context, A, clerk, {
          person: {
            residentCode: hanako,
            myNumber: myNumber(99),
            familyName: '山田',
            givenName: '二郎',
            familyNameKana: 'ヤマダ',
            givenNameKana: 'ジロウ',
            sex: 1,
            birthDate: '2024-01-01',
          },
          address: '千代田一丁目1番1号',
          household: { kind: 'new' },
        }),
    ];
    for (const attempt of cases) expect((await errorOf(attempt())).code).toBe('conflict');
    // Nothing of the refused events was written.
    const history = await personHistory(registryDb(database), A, hanako);
    expect(history.events).toHaveLength(1);
  });

  it('records a death once and leaves the household without a head', async () => {
    await recordMoveIn(context, A, clerk, {
      person: {
        residentCode: ichiro,
        myNumber: myNumber(3),
        familyName: '鈴木',
        givenName: '一郎',
        familyNameKana: 'スズキ',
        givenNameKana: 'イチロウ',
        sex: 1,
        birthDate: '1950-01-01',
      },
      effectiveOn: '2010-01-01',
      address: '神田一丁目',
      household: { kind: 'new' },
    });
    const death = await recordDeath(context, A, clerk, { residentCode: ichiro, effectiveOn: '2023-12-01' });
    const row = await registryDb(database)
      .selectFrom('registry_households')
      .select('head_person_id')
      .where('municipality_code', '=', A.municipalityCode)
      .where('household_id', '=', death.householdId)
      .executeTakeFirstOrThrow();
    expect(row.head_person_id).toBeNull();
    const again = await errorOf(
      recordDeath(context, A, clerk, { residentCode: ichiro, effectiveOn: '2023-12-02' }),
    );
    expect(again).toMatchObject({ code: 'conflict' });
    expect(again.detail).toMatch(/deceased/);
  });

  it('checks identifiers and dates before touching the database', async () => {
    const bad = await errorOf(
      recordMoveOut(context, A, clerk, { residentCode: '00000000010', effectiveOn: '2023-01-01' }),
    );
    expect(bad).toMatchObject({ code: 'resident-code-invalid', field: 'residentCode' });
    const badDate = await errorOf(
      recordMoveOut(context, A, clerk, { residentCode: hanako, effectiveOn: '2023-02-29' }),
    );
    expect(badDate).toMatchObject({ code: 'date-invalid', field: 'effectiveOn' });
    const badNumber = await errorOf(
      registerBirth(context, A, clerk, {
        person: {
          residentCode: residentCode(50),
          myNumber: '123456789010',
          familyName: '田中',
          givenName: '一',
          familyNameKana: 'タナカ',
          givenNameKana: 'ハジメ',
          sex: 1,
          birthDate: '2024-01-01',
        },
        address: '神田一丁目',
        household: { kind: 'new' },
      }),
    );
    expect(badNumber).toMatchObject({ code: 'my-number-invalid', field: 'person.myNumber' });
  });

  it('keeps each municipality to its own residents', async () => {
    expect((await errorOf(getPersonByResidentCode(database, B, hanako))).code).toBe('not-found');
    expect((await searchPersons(registryDb(database), B, { kana: 'ヤマダ' })).items).toEqual([]);
    expect(
      (await errorOf(recordMoveOut(context, B, clerk, { residentCode: hanako, effectiveOn: '2024-01-01' })))
        .code,
    ).toBe('not-found');
  });

  it('finds katakana-stored names from hiragana and half-width kana', async () => {
    const db = registryDb(database);
    const codes = async (kana: string) =>
      (await searchPersons(db, A, { kana })).items.map((i) => i.residentCode);
    expect(await codes('やまだ')).toEqual([taro, hanako]);
    expect(await codes('ﾔﾏﾀﾞ')).toEqual([taro, hanako]);
    expect(await codes('やまだ　はな')).toEqual([hanako]);
    expect(await codes('すずき')).toEqual([ichiro]);
    expect(await codes('%')).toEqual([]);
    const byName = await searchPersons(db, A, { name: '山田 花', birthDate: '令和3年5月10日' });
    expect(byName.items).toEqual([
      {
        residentCode: hanako,
        familyName: '山田',
        givenName: '花子',
        familyNameKana: 'ヤマダ',
        givenNameKana: 'ハナコ',
        birthDate: '2021-05-10',
        address: '千代田一丁目1番1号',
        status: 'resident',
      },
    ]);
    const paged = await searchPersons(db, A, { kana: 'ヤマダ', limit: 1 });
    expect(paged.nextOffset).toBe(1);
    expect((await searchPersons(db, A, { kana: 'ヤマダ', limit: 1, offset: 1 })).nextOffset).toBeNull();
    expect((await errorOf(searchPersons(db, A, {}))).code).toBe('validation-failed');
    expect(await errorOf(searchPersons(db, A, { birthDate: '令和3年2月30日' }))).toMatchObject({
      code: 'date-invalid',
      field: 'birthDate',
    });
    expect((await searchPersons(db, A, { birthDate: 'S55.2.29' })).items.map((i) => i.residentCode)).toEqual([
      taro,
    ]);
    expect((await errorOf(searchPersons(db, A, { kana: 'ヤ', limit: 101 }))).field).toBe('limit');
  });

  it('audits writes and reads with opaque ids only', async () => {
    const record = await readPerson(context, A, hanako, { actor: clerk, purpose: 'certificate' });
    const rows = await sql<{ action: string; target: string; reason: string | null; details: unknown }>`
      select action, target, reason, details from audit_log order by seq`.execute(database.db);
    const actions = rows.rows.map((row) => row.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'registry.move-in',
        'registry.birth',
        'registry.move-within',
        'registry.move-out',
        'registry.death',
      ]),
    );
    expect(actions).toHaveLength(7);
    const read = rows.rows.at(-1)!;
    expect(read).toMatchObject({
      action: 'registry.person.read',
      target: record.personId,
      reason: 'certificate',
    });
    const text = JSON.stringify(rows.rows);
    for (const secret of [
      '山田',
      'ヤマダ',
      '千代田',
      '丸の内',
      myNumber(1),
      myNumber(2),
      taro,
      hanako,
      '1980-02-29',
      '2021-05-10',
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
