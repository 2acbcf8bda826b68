import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/support/database.ts';
import { fixedClock } from '../clock.ts';
import type { Database } from '../db/index.ts';
import { migrate } from '../db/index.ts';
import { MachiError } from '../errors/index.ts';
import type { LgCode } from '../tenancy/index.ts';
import { createAuditLog } from './audit-log.ts';
import { GENESIS_HASH, hashRow } from './chain.ts';
import { auditMigrations } from './migrations.ts';
import { readRowsAfter } from './read-rows.ts';
import {
  type AuditChainReport,
  parseChainHead,
  type VerifyAuditChainOptions,
  verifyAuditChain,
} from './verify.ts';

// biome-ignore lint/suspicious/noExplicitAny: the audit table has no Kysely table type.
type Trx = Kysely<any>;

const ROWS = 100;
let database: Database;
const hashes = new Map<number, string>();

class Rollback extends Error {}

/**
 * Tampers as a superuser would (the append-only trigger disabled), verifies inside the
 * same transaction, then rolls everything back: each scenario starts from the good chain.
 */
async function verifyAfter(
  tamper: (trx: Trx) => Promise<unknown>,
  options: VerifyAuditChainOptions = {},
): Promise<AuditChainReport> {
  let report: AuditChainReport | undefined;
  await database.db
    .transaction()
    .execute(async (trx) => {
      await sql`alter table audit_log disable trigger audit_log_no_update`.execute(trx);
      await tamper(trx);
      report = await verifyAuditChain(trx, options);
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  if (!report) throw new Error('no report');
  return report;
}

/** Moves a row to another seq (seq is the primary key, so via a free number). */
function moveRow(trx: Trx, from: number, to: number) {
  return sql`update audit_log set seq = ${to} where seq = ${from}`.execute(trx);
}

beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db, [auditMigrations]);
  const clock = fixedClock(new Date('2025-04-01T00:00:00.000Z'));
  const audit = createAuditLog(database, clock);
  for (let n = 1; n <= ROWS; n += 1) {
    clock.advance(1_234);
    await audit.record({
      municipalityCode: n % 3 === 0 ? null : ('131016' as LgCode),
      actor: `staff:${n % 7}`,
      action: n % 2 === 0 ? 'registry.person.read' : 'staff.sign-in',
      target: n % 5 === 0 ? undefined : `person:${n}`,
      outcome: n % 11 === 0 ? 'failure' : 'success',
      details: { n, even: n % 2 === 0 },
    });
  }
  const rows = await sql<{ seq: number; hash: string }>`select seq, hash from audit_log`.execute(database.db);
  for (const row of rows.rows) hashes.set(Number(row.seq), row.hash);
});
afterAll(async () => {
  await database.close();
});

describe('verifyAuditChain on an untouched chain', () => {
  it('reports ok, the rows checked and the head, in pages of any size', async () => {
    for (const batchSize of [1, 7, 100, 5_000]) {
      const report = await verifyAuditChain(database.db, { batchSize });
      expect(report).toEqual({ ok: true, rowsChecked: ROWS, head: { seq: ROWS, hash: hashes.get(ROWS) } });
    }
  });

  it('reports progress page by page', async () => {
    const seen: number[] = [];
    await verifyAuditChain(database.db, { batchSize: 40, onProgress: (n) => seen.push(n) });
    expect(seen).toEqual([40, 80, 100]);
  });

  it('accepts an anchor that is the head or earlier', async () => {
    for (const seq of [ROWS, 50, 1]) {
      const report = await verifyAuditChain(database.db, { expectHead: { seq, hash: hashes.get(seq)! } });
      expect(report.ok).toBe(true);
    }
  });

  it('verifies an empty log, and refuses a database without one', async () => {
    const empty = await verifyAfter((trx) => sql`delete from audit_log`.execute(trx));
    expect(empty).toEqual({ ok: true, rowsChecked: 0, head: { seq: 0, hash: GENESIS_HASH } });
    const error = await verifyAfter((trx) => sql`drop table audit_log`.execute(trx)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MachiError);
    expect(error).toMatchObject({ code: 'not-found' });
  });

  it('rejects bad options', async () => {
    await expect(verifyAuditChain(database.db, { batchSize: 0 })).rejects.toThrow(MachiError);
  });
});

describe('verifyAuditChain on a tampered chain', () => {
  it.each([
    ['actor', sql`update audit_log set actor = 'staff:0' where seq = 57`],
    ['outcome', sql`update audit_log set outcome = 'failure' where seq = 57`],
    ['municipality', sql`update audit_log set municipality_code = '011002' where seq = 57`],
    ['time, by one microsecond', sql`update audit_log set at = at + interval '1 microsecond' where seq = 57`],
    ['details', sql`update audit_log set details = details || '{"n": 58}' where seq = 57`],
    ['details, to a non-object', sql`update audit_log set details = '[]' where seq = 57`],
    [
      'prev_hash',
      sql`update audit_log set prev_hash = (select hash from audit_log where seq = 55) where seq = 57`,
    ],
    ['hash', sql`update audit_log set hash = (select hash from audit_log where seq = 58) where seq = 57`],
  ])('reports a changed %s as altered at that row', async (_, statement) => {
    const report = await verifyAfter((trx) => statement.execute(trx), { batchSize: 10 });
    expect(report).toMatchObject({
      ok: false,
      rowsChecked: 56,
      head: { seq: 56, hash: hashes.get(56) },
      problem: { kind: 'altered', seq: 57 },
    });
  });

  it('reports a row rewritten with its hash recomputed as altered at that row', async () => {
    const report = await verifyAfter(async (trx) => {
      const [stored] = await readRowsAfter(trx, 56, 1);
      const row = { ...stored!.row, outcome: 'failure' };
      const hash = hashRow(stored!.prevHash, row);
      await sql`update audit_log set outcome = 'failure', hash = ${hash} where seq = 57`.execute(trx);
    });
    expect(report).toMatchObject({ ok: false, rowsChecked: 56, problem: { kind: 'altered', seq: 57 } });
    if (!report.ok) expect(report.problem.explanation).toMatch(/row 58 does not link to row 57/);
  });

  it('reports a deleted row as removed at the missing seq', async () => {
    const report = await verifyAfter((trx) => sql`delete from audit_log where seq = 57`.execute(trx));
    expect(report).toMatchObject({
      ok: false,
      rowsChecked: 56,
      head: { seq: 56 },
      problem: { kind: 'removed', seq: 57 },
    });
    if (!report.ok) expect(report.problem.explanation).toBe('row 57 is missing: after row 56 comes row 58');
  });

  it('names the whole range when several rows, or the first, were deleted', async () => {
    const range = await verifyAfter((trx) =>
      sql`delete from audit_log where seq between 57 and 59`.execute(trx),
    );
    expect(range).toMatchObject({
      problem: { kind: 'removed', seq: 57, explanation: expect.stringMatching(/rows 57–59/) },
    });
    const first = await verifyAfter((trx) => sql`delete from audit_log where seq = 1`.execute(trx));
    expect(first).toMatchObject({ ok: false, rowsChecked: 0, problem: { kind: 'removed', seq: 1 } });
  });

  it('reports a deletion hidden by renumbering the later rows as removed', async () => {
    const report = await verifyAfter(async (trx) => {
      await sql`delete from audit_log where seq = 57`.execute(trx);
      await sql`update audit_log set seq = -seq where seq > 57`.execute(trx);
      await sql`update audit_log set seq = -seq - 1 where seq < 0`.execute(trx);
    });
    expect(report).toMatchObject({ ok: false, rowsChecked: 56, problem: { kind: 'removed', seq: 57 } });
    if (!report.ok) expect(report.problem.explanation).toMatch(/entry written as row 58/);
  });

  it('sees a row forged below seq 1', async () => {
    const report = await verifyAfter((trx) =>
      sql`insert into audit_log select -seq, at, municipality_code, actor, action, target, reason,
        outcome, details, prev_hash, hash from audit_log where seq = 5`.execute(trx),
    );
    expect(report).toEqual({
      ok: false,
      rowsChecked: 0,
      head: { seq: 0, hash: GENESIS_HASH },
      problem: { kind: 'altered', seq: -5, explanation: expect.stringMatching(/below 1/) },
    });
  });

  it('reports two swapped rows as reordered at the first, also across a page boundary', async () => {
    for (const batchSize of [30, 5_000]) {
      const report = await verifyAfter(
        async (trx) => {
          await moveRow(trx, 30, -30);
          await moveRow(trx, 31, 30);
          await moveRow(trx, -30, 31);
        },
        { batchSize },
      );
      expect(report).toMatchObject({ ok: false, rowsChecked: 29, problem: { kind: 'reordered', seq: 30 } });
      if (!report.ok)
        expect(report.problem.explanation).toMatch(
          /written as row 31.*row 31 holds the entry written as row 30/,
        );
    }
  });

  it('reports swapped contents under unchanged hashes as altered at the first', async () => {
    const report = await verifyAfter(async (trx) => {
      await sql`update audit_log a set actor = b.actor, action = b.action, target = b.target, details = b.details
        from audit_log b where (a.seq, b.seq) in ((30, 31), (31, 30))`.execute(trx);
    });
    expect(report).toMatchObject({ ok: false, problem: { kind: 'altered', seq: 30 } });
  });

  it('reports rows pushed down by an inserted, well-hashed forgery as reordered after it', async () => {
    const report = await verifyAfter(async (trx) => {
      await sql`update audit_log set seq = -seq where seq >= 40`.execute(trx);
      await sql`update audit_log set seq = -seq + 1 where seq < 0`.execute(trx);
      const forged = {
        seq: 40,
        at: '2025-04-01T00:01:00.000Z',
        municipalityCode: '131016',
        actor: 'staff:9',
        action: 'staff.sign-in',
        target: null,
        reason: null,
        outcome: 'success',
        details: {},
      };
      await sql`insert into audit_log (seq, at, municipality_code, actor, action, outcome, details, prev_hash, hash)
        values (40, ${forged.at}, '131016', 'staff:9', 'staff.sign-in', 'success', '{}',
          ${hashes.get(39)}, ${hashRow(hashes.get(39)!, forged)})`.execute(trx);
    });
    // The forgery itself links and hashes correctly; the row it displaced gives it away.
    expect(report).toMatchObject({ ok: false, rowsChecked: 40, problem: { kind: 'reordered', seq: 41 } });
    if (!report.ok) expect(report.problem.explanation).toMatch(/written as row 40: .*inserted/);
  });

  it('cannot see the last rows removed without an anchor, and can with one', async () => {
    const truncate = (trx: Trx) => sql`delete from audit_log where seq > 90`.execute(trx);
    const blind = await verifyAfter(truncate);
    expect(blind).toEqual({ ok: true, rowsChecked: 90, head: { seq: 90, hash: hashes.get(90) } });
    const anchored = await verifyAfter(truncate, { expectHead: { seq: ROWS, hash: hashes.get(ROWS)! } });
    expect(anchored).toMatchObject({ ok: false, rowsChecked: 90, problem: { kind: 'removed', seq: 91 } });
    if (!anchored.ok) expect(anchored.problem.explanation).toMatch(/ends at row 90 .* names row 100/);
  });

  it('cannot see a chain recomputed from some row on without an anchor, and can with one', async () => {
    const recompute = async (trx: Trx) => {
      const rows = await readRowsAfter(trx, 79, ROWS);
      let prevHash = rows[0]!.prevHash;
      for (const stored of rows) {
        const row = stored.row.seq === 80 ? { ...stored.row, outcome: 'failure' } : stored.row;
        const hash = hashRow(prevHash, row);
        await sql`update audit_log set outcome = ${row.outcome}, prev_hash = ${prevHash}, hash = ${hash}
          where seq = ${row.seq}`.execute(trx);
        prevHash = hash;
      }
    };
    expect((await verifyAfter(recompute)).ok).toBe(true);
    const anchored = await verifyAfter(recompute, { expectHead: { seq: ROWS, hash: hashes.get(ROWS)! } });
    expect(anchored).toMatchObject({
      ok: false,
      rowsChecked: 99,
      head: { seq: 99 },
      problem: { kind: 'altered', seq: 100 },
    });
    // An anchor before the rewritten part still holds.
    expect((await verifyAfter(recompute, { expectHead: { seq: 79, hash: hashes.get(79)! } })).ok).toBe(true);
  });
});

describe('parseChainHead', () => {
  it('reads SEQ:HASH and refuses anything else', () => {
    const hash = 'ab'.repeat(32);
    expect(parseChainHead(`1200:${hash}`)).toEqual({ seq: 1200, hash });
    for (const bad of [
      '',
      '1200',
      `0:${hash}`,
      `-1:${hash}`,
      `1.5:${hash}`,
      `12:${hash.slice(1)}`,
      `12:${hash.toUpperCase()}`,
      `x:${hash}`,
    ]) {
      expect(() => parseChainHead(bad), bad).toThrow(MachiError);
    }
  });
});
