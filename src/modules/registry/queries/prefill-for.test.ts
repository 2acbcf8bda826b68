import { randomUUID } from 'node:crypto';
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
  prefillFor,
  type RegistryContext,
  recordMoveIn,
  recordMoveOut,
  recordMoveWithin,
  registerBirth,
  registryDb,
  registryMigrations,
} from '../index.ts';

const CHIYODA = tenantScope(parseLgCode('131016'));
const SAPPORO = tenantScope(parseLgCode('011002'));
const clerk = 'staff:00000000-0000-4000-8000-000000000001';
const TODAY = '2025-06-01';

function person(
  n: number,
  name: [string, string],
  kana: [string, string],
  birthDate: string,
  sex: 1 | 2,
): NewPerson {
  return {
    residentCode: residentCodeOf(n),
    myNumber: myNumberOf(n),
    familyName: name[0],
    givenName: name[1],
    familyNameKana: kana[0],
    givenNameKana: kana[1],
    sex,
    birthDate,
  };
}

describe('prefillFor', () => {
  let database: Database;
  let context: RegistryContext;
  const ids: Record<string, string> = {};
  const read = (personId: string, on = TODAY, scope = CHIYODA) =>
    prefillFor(registryDb(database), scope, personId, on);

  beforeAll(async () => {
    database = await openTestDatabase();
    await migrate(database.db, [auditMigrations, registryMigrations]);
    const clock = fixedClock(new Date('2025-06-01T00:00:00Z'));
    context = { database, clock, audit: createAuditLog(database, clock) };
    const head = await recordMoveIn(context, CHIYODA, clerk, {
      person: person(1, ['山田', '太郎'], ['やまだ', 'たろう'], '1990-04-01', 1),
      effectiveOn: '2020-04-01',
      address: '千代田一丁目1番1号',
      postalCode: '1000001',
      household: { kind: 'new' },
    });
    ids.head = head.personId;
    const join = (relationship: string) =>
      ({ kind: 'join', residentCode: residentCodeOf(1), relationship }) as const;
    const wife = await recordMoveIn(context, CHIYODA, clerk, {
      person: person(2, ['山田', '花子'], ['ヤマダ', 'ハナコ'], '1992-05-05', 2),
      effectiveOn: '2021-04-01',
      address: '千代田一丁目1番1号',
      postalCode: '1000001',
      household: join('妻'),
    });
    ids.wife = wife.personId;
    const child = await registerBirth(context, CHIYODA, clerk, {
      person: person(3, ['山田', '一郎'], ['ヤマダ', 'イチロウ'], '2024-12-24', 1),
      address: '千代田一丁目1番1号',
      postalCode: '1000001',
      household: join('子'),
    });
    ids.child = child.personId;
    // A member who moved out is no longer in the 世帯.
    const grandmother = await recordMoveIn(context, CHIYODA, clerk, {
      person: person(4, ['山田', '梅'], ['ヤマダ', 'ウメ'], '1940-01-01', 2),
      effectiveOn: '2021-04-01',
      address: '千代田一丁目1番1号',
      household: join('母'),
    });
    ids.grandmother = grandmother.personId;
    await recordMoveOut(context, CHIYODA, clerk, {
      residentCode: residentCodeOf(4),
      effectiveOn: '2025-03-31',
      toAddress: '大阪府大阪市北区',
    });
    // Another household: never listed with the 山田 family.
    const neighbour = await recordMoveIn(context, CHIYODA, clerk, {
      person: person(5, ['鈴木', '一郎'], ['スズキ', 'イチロウ'], '1960-06-06', 1),
      effectiveOn: '2020-04-01',
      address: '千代田一丁目1番2号',
      household: { kind: 'new' },
    });
    ids.neighbour = neighbour.personId;
    // Moves within on 2025-05-01 to an address with a postal code of its own.
    const mover = await recordMoveIn(context, CHIYODA, clerk, {
      person: person(6, ['渡辺', '四郎'], ['ワタナベ', 'シロウ'], '1985-05-05', 1),
      effectiveOn: '2020-04-01',
      address: '飯田橋一丁目1番1号',
      postalCode: '1020072',
      household: { kind: 'new' },
    });
    ids.mover = mover.personId;
    await recordMoveWithin(context, CHIYODA, clerk, {
      residentCode: residentCodeOf(6),
      effectiveOn: '2025-05-01',
      address: '富士見二丁目2番2号',
      postalCode: '1020071',
      household: { kind: 'keep' },
    });
  });
  afterAll(async () => {
    await context.audit.flush();
    await database.close();
  });

  it("gives the person's own facts, the address whole as on a 住民票", async () => {
    const found = await read(ids.wife!);
    expect(found?.person).toEqual({
      name: '山田\u3000花子',
      nameKana: 'ヤマダ\u3000ハナコ',
      birthDate: '1992-05-05',
      sex: 2,
      postalCode: '1000001',
      address: '東京都千代田区千代田一丁目1番1号',
    });
    expect(found?.asOf).toBe(TODAY);
  });

  it('lists the current members of the 世帯, the person included, the head first', async () => {
    const found = await read(ids.wife!);
    expect(found?.householdMembers).toEqual([
      {
        name: '山田\u3000太郎',
        nameKana: 'ヤマダ\u3000タロウ',
        birthDate: '1990-04-01',
        sex: 1,
        relationship: '世帯主',
      },
      {
        name: '山田\u3000花子',
        nameKana: 'ヤマダ\u3000ハナコ',
        birthDate: '1992-05-05',
        sex: 2,
        relationship: '妻',
      },
      {
        name: '山田\u3000一郎',
        nameKana: 'ヤマダ\u3000イチロウ',
        birthDate: '2024-12-24',
        sex: 1,
        relationship: '子',
      },
    ]);
    // Every member sees the same household.
    expect((await read(ids.child!))?.householdMembers).toEqual(found?.householdMembers);
    expect((await read(ids.neighbour!))?.householdMembers.map((m) => m.name)).toEqual(['鈴木\u3000一郎']);
  });

  it('reads the household as of the day asked: before the birth, with the member who since left', async () => {
    const earlier = await read(ids.head!, '2024-06-01');
    expect(earlier?.householdMembers.map((m) => m.name)).toEqual([
      '山田\u3000太郎',
      '山田\u3000梅',
      '山田\u3000花子',
    ]);
    expect(earlier?.asOf).toBe('2024-06-01');
  });

  it('gives the address of the day, with no postal code when it is not the current address', async () => {
    expect((await read(ids.mover!))?.person).toMatchObject({
      address: '東京都千代田区富士見二丁目2番2号',
      postalCode: '1020071',
    });
    expect((await read(ids.mover!, '2025-04-30'))?.person).toMatchObject({
      address: '東京都千代田区飯田橋一丁目1番1号',
      postalCode: null,
    });
  });

  it('finds no one who has left, was not yet here, is unknown, or lives elsewhere', async () => {
    expect(await read(ids.grandmother!)).toBeNull();
    expect(await read(ids.grandmother!, '2025-03-30')).not.toBeNull();
    expect(await read(ids.wife!, '2021-03-31')).toBeNull();
    expect(await read(randomUUID())).toBeNull();
    expect(await read(ids.wife!, TODAY, SAPPORO)).toBeNull();
  });

  it('reads no My Number or 住民票コード', async () => {
    const text = JSON.stringify(await read(ids.head!));
    for (const n of [1, 2, 3]) {
      expect(text).not.toContain(myNumberOf(n));
      expect(text).not.toContain(residentCodeOf(n));
    }
  });
});
