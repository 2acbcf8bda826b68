import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/support/database.ts';
import { systemClock } from '../clock.ts';
import type { Database } from '../db/index.ts';
import { migrate } from '../db/index.ts';
import { MachiError } from '../errors/index.ts';
import type { LgCode } from '../tenancy/index.ts';
import { createAuditLog } from './audit-log.ts';
import { auditMigrations } from './migrations.ts';
import type { AuditEntry, AuditLog, ChainAppend } from './types.ts';
import { verifyAuditChain } from './verify.ts';

const chiyoda = '131016' as LgCode;

function entry(n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    municipalityCode: chiyoda,
    actor: 'staff:2f1c6a4e-0d2b-4e8a-9c41-7b3e5d9a0f12',
    action: 'registry.person.read',
    target: `person:${n}`,
    reason: 'test',
    outcome: 'success',
    details: { n, flag: n % 2 === 0, note: null },
    ...overrides,
  };
}

async function seqs(database: Database): Promise<number[]> {
  const result = await sql<{ seq: number }>`select seq from audit_log order by seq`.execute(database.db);
  return result.rows.map((row) => Number(row.seq));
}

function oneTo(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

// One database for the file (a PGlite start costs seconds); tests run in order.
let database: Database;
let audit: AuditLog;

beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db, [auditMigrations]);
  audit = createAuditLog(database, systemClock);
});
afterAll(async () => {
  await audit.flush();
  await database.close();
});

describe('audit log writer', () => {
  it('lands 1,000 concurrent record() calls as one gap-free, valid chain', async () => {
    await Promise.all(oneTo(1000).map((n) => audit.record(entry(n))));
    expect(await seqs(database)).toEqual(oneTo(1000));
    const report = await verifyAuditChain(database.db, { batchSize: 97 });
    expect(report).toMatchObject({ ok: true, rowsChecked: 1000, head: { seq: 1000 } });
    // Every caller's own entry is there, exactly once.
    const targets = await sql<{ target: string }>`select target from audit_log`.execute(database.db);
    expect(new Set(targets.rows.map((row) => row.target)).size).toBe(1000);
  });

  it('leaves no row and no gap when the transaction that appended rolls back', async () => {
    const before = await seqs(database);
    await expect(
      database.db.transaction().execute(async (trx) => {
        await audit.append(trx, entry(-1, { action: 'registry.person.update' }));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await seqs(database)).toEqual(before);
    await audit.record(entry(1001));
    expect(await seqs(database)).toEqual(oneTo(before.length + 1));
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('keeps one chain when append (in transactions) and record run concurrently', async () => {
    const start = (await seqs(database)).length;
    const appends = oneTo(40).map((n) =>
      database.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await audit.append(trx, entry(2000 + n, { action: 'registry.event.move-in' }));
      }),
    );
    const records = oneTo(200).map((n) => audit.record(entry(3000 + n)));
    await Promise.all([...appends, ...records]);
    expect(await seqs(database)).toEqual(oneTo(start + 240));
    const report = await verifyAuditChain(database.db);
    expect(report).toMatchObject({ ok: true, rowsChecked: start + 240 });
  });

  it('links again when another writer moved the head it knew (another process, a transaction)', async () => {
    // Two logs on one database: two processes of one zone. Each knows the head it wrote last.
    const other = createAuditLog(database, systemClock);
    const start = (await seqs(database)).length;
    await audit.record(entry(4001));
    await other.record(entry(4002));
    await audit.record(entry(4003)); // its known head is stale: refused by the key, then linked anew
    await database.db.transaction().execute((trx) => other.append(trx, entry(4004)));
    await other.record(entry(4005));
    await Promise.all(oneTo(50).map((n) => (n % 2 ? audit : other).record(entry(4100 + n))));
    expect(await seqs(database)).toEqual(oneTo(start + 55));
    const targets = await sql<{ target: string }>`
      select target from audit_log where seq > ${start} order by seq`.execute(database.db);
    expect(targets.rows.slice(0, 5).map((row) => row.target)).toEqual(
      oneTo(5).map((n) => `person:${4000 + n}`),
    );
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('appends within a statement of the caller, in turn with group commits, or not at all', async () => {
    // The test before left this log's known head stale or not, depending on which process
    // committed last; a group commit links again under the lock if it must, and learns the head.
    await audit.record(entry(6999));
    const start = (await seqs(database)).length;
    const other = createAuditLog(database, systemClock);
    // The caller's own statement: a marker row when `write` says so, the entries with it.
    await sql`create table if not exists audit_test_marks (n int primary key)`.execute(database.db);
    const within = (n: number, write: boolean) =>
      audit.appendWithin([entry(7000 + n), entry(7100 + n)], async (append) => {
        await sql`
          with chain_lock as (select ${append.lock}),
          marked as (insert into audit_test_marks (n) select ${n}::int from chain_lock where ${write}),
          audited as (${append.insert(sql`${write}`)})
          select 1`.execute(database.db);
        return { result: n, appended: write };
      });
    const results = await Promise.all([
      within(1, true),
      ...oneTo(20).map((n) => audit.record(entry(7200 + n))),
      within(2, false),
      within(3, true),
    ]);
    expect(results[0]).toBe(1);
    // Another process moves the head: the next statement is refused by the key, whole.
    await other.record(entry(7300));
    await expect(within(4, true)).rejects.toMatchObject({ code: '23505' });
    expect(await within(5, true)).toBe(5);
    const marks = await sql<{ n: number }>`select n from audit_test_marks order by n`.execute(database.db);
    expect(marks.rows.map((row) => row.n)).toEqual([1, 3, 5]);
    expect(await seqs(database)).toEqual(oneTo(start + 27));
    const targets = await sql<{ target: string }>`
      select target from audit_log where seq > ${start} and target like 'person:70%' order by seq`.execute(
      database.db,
    );
    expect(targets.rows.map((row) => row.target).sort()).toEqual(
      ['7001', '7003', '7005'].map((n) => `person:${n}`),
    );
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('tries appendWithin again on the head read anew when asked to, and only when the head moved', async () => {
    await audit.record(entry(9000));
    const start = (await seqs(database)).length;
    const other = createAuditLog(database, systemClock);
    let calls = 0;
    const write = (fail?: Error) => async (append: ChainAppend) => {
      calls++;
      if (fail) throw fail;
      await sql`with chain_lock as (select ${append.lock}), audited as (${append.insert(sql`true`)})
        select 1`.execute(database.db);
      return { result: calls, appended: true };
    };
    // Another process moves the head: the first try is refused by the key, the second links anew.
    await other.record(entry(9001));
    expect(await audit.appendWithin([entry(9002)], write(), { attempts: 2 })).toBe(2);
    // Out of attempts: the refusal reaches the caller, and nothing was written.
    calls = 0;
    await other.record(entry(9003));
    await expect(audit.appendWithin([entry(9004)], write(), { attempts: 1 })).rejects.toMatchObject({
      code: '23505',
    });
    expect(calls).toBe(1);
    // Any other failure is not tried again.
    calls = 0;
    await expect(
      audit.appendWithin([entry(9005)], write(new Error('connection lost')), { attempts: 3 }),
    ).rejects.toThrow('connection lost');
    expect(calls).toBe(1);
    const targets = await sql<{ target: string }>`
      select target from audit_log where seq > ${start} order by seq`.execute(database.db);
    expect(targets.rows.map((row) => row.target)).toEqual(['9001', '9002', '9003'].map((n) => `person:${n}`));
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('links anew when the head it knows is gone, as after a crash lost a commit not yet flushed', async () => {
    await audit.record(entry(9500));
    const before = (await seqs(database)).length;
    /** What a crash does to a commit that did not wait for its flush: as if it never was. */
    const lose = (from: number) =>
      database.db.transaction().execute(async (trx) => {
        // The append-only trigger refuses deletes; a replica's role does not fire it.
        await sql`set local session_replication_role = replica`.execute(trx);
        await sql`delete from audit_log where seq >= ${from}`.execute(trx);
      });
    // The head this log knows (its own last entry) vanishes: its next group commit is
    // refused by the lock's check, not linked after a row that is not there.
    await audit.record(entry(9501));
    await lose(before + 1);
    await audit.record(entry(9502));
    // And so is a statement that links within, tried again on the head read anew.
    await audit.record(entry(9503));
    await lose(before + 2);
    let calls = 0;
    const linked = await audit.appendWithin(
      [entry(9504)],
      async (append) => {
        calls++;
        await sql`with chain_lock as (select ${append.lock}), audited as (${append.insert(sql`true`)})
          select 1 from chain_lock`.execute(database.db);
        return { result: calls, appended: true };
      },
      { attempts: 2 },
    );
    expect(linked).toBe(2);
    const targets = await sql<{ target: string }>`
      select target from audit_log where seq > ${before - 1} order by seq`.execute(database.db);
    expect(targets.rows.map((row) => row.target)).toEqual(['9500', '9502', '9504'].map((n) => `person:${n}`));
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('sends pipelined appends before those ahead are answered; one that does not append refuses those behind', async () => {
    await audit.record(entry(9600));
    const start = (await seqs(database)).length;
    const log: string[] = [];
    const within = (n: number, insert: boolean) =>
      audit.appendWithin(
        [entry(9600 + n)],
        async (append) => {
          log.push(`sent ${n}`);
          const statement = sql`with chain_lock as (select ${append.lock}),
            audited as (${append.insert(sql`${insert}`)}) select 1 from chain_lock`;
          await database.pipelined('test_pipelined_append', statement.compile(database.db));
          log.push(`answered ${n}`);
          return { result: n, appended: insert };
        },
        { pipelined: true },
      );
    // Each linked to the head the one before will leave, all sent at once.
    expect(await Promise.all([within(1, true), within(2, true), within(3, true)])).toEqual([1, 2, 3]);
    expect(log.slice(0, 3)).toEqual(['sent 1', 'sent 2', 'sent 3']);
    // One that appends nothing: the one sent behind it links to a head that is not there.
    const [fourth, fifth] = await Promise.allSettled([within(4, false), within(5, true)]);
    expect(fourth).toMatchObject({ status: 'fulfilled', value: 4 });
    expect(fifth).toMatchObject({
      status: 'rejected',
      reason: { code: '23505', constraint: 'audit_log_pkey' },
    });
    // The next reads the head anew.
    expect(await within(6, true)).toBe(6);
    const targets = await sql<{ target: string }>`
      select target from audit_log where seq > ${start} order by seq`.execute(database.db);
    expect(targets.rows.map((row) => row.target)).toEqual(
      ['9601', '9602', '9603', '9606'].map((n) => `person:${n}`),
    );
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('holds group commits and appendWithin back while work in turn appends the locked way', async () => {
    const start = (await seqs(database)).length;
    let finish = () => {};
    const held = new Promise<void>((resolve) => {
      finish = resolve;
    });
    // Work in turn appends in a transaction of its own, and takes its time to commit.
    const locked = audit.inTurn(() =>
      database.db.transaction().execute(async (trx) => {
        await audit.append(trx, entry(8001));
        await held;
      }),
    );
    const within = audit.appendWithin([entry(8002)], async (append) => {
      await sql`with audited as (${append.insert(sql`true`)}) select 1`.execute(database.db);
      return { result: true, appended: true };
    });
    const recorded = audit.record(entry(8003));
    setTimeout(finish, 50);
    // Had either linked to the head before the work committed, the key on seq would refuse it.
    await Promise.all([locked, within, recorded]);
    const targets = await sql<{ target: string }>`
      select target from audit_log where seq > ${start} order by seq`.execute(database.db);
    expect(targets.rows.map((row) => row.target)).toEqual(['8001', '8002', '8003'].map((n) => `person:${n}`));
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('appends many entries in one go, in order, or none of them if one is refused', async () => {
    const start = (await seqs(database)).length;
    const many = oneTo(30).map((n) => entry(5000 + n, { action: 'points.transfer' }));
    await database.db.transaction().execute((trx) => audit.appendMany(trx, many));
    const bad = entry(6000, { details: { myNumber: '123456789018' } });
    await expect(
      database.db.transaction().execute((trx) => audit.appendMany(trx, [entry(6001), bad])),
    ).rejects.toMatchObject({ code: 'validation-failed' });
    await database.db.transaction().execute((trx) => audit.appendMany(trx, []));
    const targets = await sql<{ target: string }>`
      select target from audit_log where seq > ${start} order by seq`.execute(database.db);
    expect(targets.rows.map((row) => row.target)).toEqual(oneTo(30).map((n) => `person:${5000 + n}`));
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('stores what it hashed: null fields, undefined details, large and fractional numbers, text', async () => {
    await audit.record({
      municipalityCode: null,
      actor: 'system',
      action: 'system.start',
      outcome: 'failure',
      details: {
        big: 2 ** 53 - 1,
        tiny: 1e-7,
        neg: -0.5,
        text: '無害化 "quoted" \\ \n',
        gone: undefined,
      } as never,
    });
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('refuses UPDATE and DELETE on audit_log (append-only trigger)', async () => {
    await expect(
      sql`update audit_log set outcome = 'failure' where seq = 1`.execute(database.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where seq = 1`.execute(database.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_log`.execute(database.db)).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});

describe('personal data guard', () => {
  const refused: [string, Partial<AuditEntry>][] = [
    ['a My Number as a detail', { details: { myNumber: '123456789018' } }],
    ['a My Number inside detail text', { details: { note: 'number 123456789018 given' } }],
    ['a My Number as a numeric detail', { details: { id: 123456789018 } }],
    ['a My Number in the target', { target: 'person:123456789018' }],
    ['a My Number in the reason', { reason: '照会 123456789018' }],
    ['a nested object', { details: { person: { name: 'x' } } as never }],
    ['a non-finite number', { details: { ratio: Number.NaN } }],
  ];

  it.each(refused)('refuses %s in record() and append(), writing nothing', async (_, overrides) => {
    const before = await seqs(database);
    const bad = entry(1, overrides);
    const recording = audit.record(bad);
    await expect(recording).rejects.toThrow(MachiError);
    await expect(recording).rejects.toMatchObject({ code: 'validation-failed' });
    await expect(database.db.transaction().execute((trx) => audit.append(trx, bad))).rejects.toThrow(
      MachiError,
    );
    expect(await seqs(database)).toEqual(before);
  });

  it('does not echo the refused value in the error', async () => {
    const error = await audit.record(entry(1, { details: { n: '123456789018' } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MachiError);
    expect(JSON.stringify({ ...(error as MachiError), message: (error as Error).message })).not.toContain(
      '123456789018',
    );
  });

  it('accepts near misses: 11 or 13 digits, digits inside words, UUIDs, and lets neighbours land', async () => {
    const good = entry(1, {
      target: 'person:0a1b2c3d-1111-4222-8333-123456789012',
      details: { eleven: '12345678901', thirteen: '1234567890123', word: 'x123456789012', count: 12_345 },
    });
    const bad = entry(2, { details: { myNumber: '123456789018' } });
    const before = (await seqs(database)).length;
    const results = await Promise.allSettled([audit.record(good), audit.record(bad), audit.record(entry(3))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await seqs(database)).toEqual(oneTo(before + 2));
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
