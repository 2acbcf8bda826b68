import { randomUUID } from 'node:crypto';
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
} from '../../../core/index.ts';
import { prefillMigrations } from './migrations.ts';
import {
  PREFILL_INTERVAL_MS,
  PREFILL_TTL_MS,
  type PrefillAnswer,
  type PrefillContext,
  type PrefillRequest,
  prunePrefills,
  readPrefill,
  requestPrefill,
  storePrefillAnswer,
} from './prefill-store.ts';

const CHIYODA = parseLgCode('131016');
const answer: PrefillAnswer = {
  found: true,
  person: {
    name: '佐藤\u3000花子',
    nameKana: 'サトウ\u3000ハナコ',
    postalCode: '1000001',
    address: '東京都千代田区千代田一丁目1番1号',
    birthDate: '1950-03-03',
    sex: '2',
  },
  householdMembers: [],
  asOf: '2025-06-01',
};

describe('the portal keeps a prefill for an hour', () => {
  let database: Database;
  let now = new Date('2025-06-01T00:00:00Z');
  let context: PrefillContext;
  const sent: PrefillRequest[] = [];
  const send = async (request: PrefillRequest) => {
    sent.push(request);
  };
  const later = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };

  beforeAll(async () => {
    database = await openTestDatabase();
    await migrate(database.db, [auditMigrations, prefillMigrations]);
    const clock = { now: () => now };
    context = { database, clock, audit: createAuditLog(database, fixedClock(now)) };
  });
  afterAll(async () => {
    await context.audit.flush();
    await database.close();
  });

  it('is pending once asked, ready once the answer to that request comes, gone after its hour', async () => {
    const resident = { municipalityCode: CHIYODA, subjectId: randomUUID() };
    expect(await readPrefill(database.db, resident, now)).toBeUndefined();
    const { requestId } = await requestPrefill(context, resident, send);
    expect(sent.at(-1)).toEqual({ requestId, subjectId: resident.subjectId, requestedAt: now.toISOString() });
    expect(await readPrefill(database.db, resident, now)).toEqual({ status: 'pending', requestedAt: now });

    // An answer to another request (an older one, or another resident's) is not kept.
    expect(await storePrefillAnswer(database.db, resident, randomUUID(), answer, now)).toBe(false);
    const someoneElse = { municipalityCode: CHIYODA, subjectId: randomUUID() };
    expect(await storePrefillAnswer(database.db, someoneElse, requestId, answer, now)).toBe(false);

    later(5_000);
    expect(await storePrefillAnswer(database.db, resident, requestId, answer, now)).toBe(true);
    // Kept once: a second delivery does not move its hour on.
    expect(await storePrefillAnswer(database.db, resident, requestId, answer, now)).toBe(false);
    expect(await readPrefill(database.db, resident, now)).toEqual({
      status: 'ready',
      answeredAt: now,
      ...answer,
    });

    later(PREFILL_TTL_MS - 1);
    expect((await readPrefill(database.db, resident, now))?.status).toBe('ready');
    later(1);
    expect(await readPrefill(database.db, resident, now)).toBeUndefined();
    expect(await prunePrefills(database.db, now)).toBe(1);
  });

  it('is asked at most once a minute per resident', async () => {
    const resident = { municipalityCode: CHIYODA, subjectId: randomUUID() };
    await requestPrefill(context, resident, send);
    later(PREFILL_INTERVAL_MS - 1);
    const refused = await requestPrefill(context, resident, send).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(MachiError);
    expect((refused as MachiError).code).toBe('rate-limited');
    // Another resident is not held back.
    await requestPrefill(context, { municipalityCode: CHIYODA, subjectId: randomUUID() }, send);
    later(1);
    const again = await requestPrefill(context, resident, send);
    expect(await readPrefill(database.db, resident, now)).toEqual({ status: 'pending', requestedAt: now });
    expect(sent.at(-1)?.requestId).toBe(again.requestId);
  });

  it('undoes the request when it cannot be sent, so it may be asked again at once', async () => {
    const resident = { municipalityCode: CHIYODA, subjectId: randomUUID() };
    const unreachable = async () => {
      throw new MachiError('gateway-unreachable');
    };
    await expect(requestPrefill(context, resident, unreachable)).rejects.toThrow(MachiError);
    expect(await readPrefill(database.db, resident, now)).toBeUndefined();
    await requestPrefill(context, resident, send);
    expect((await readPrefill(database.db, resident, now))?.status).toBe('pending');
  });
});
