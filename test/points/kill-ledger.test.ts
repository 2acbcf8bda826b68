import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, parseLgCode, tenantScope, verifyAuditChain } from '../../src/core/index.ts';
import { balanceOf, type PointsLedgerDb, reconcileLedger } from '../../src/modules/points/index.ts';
import { amountOf, GRANT, MERCHANT, payerOf, RESIDENTS } from './ledger-writer.ts';

const PAYMENTS = 1_500;
/** The writer is killed once this many payments have been acknowledged. */
const KILL_AFTER = 400;
const serverUrl = process.env.MACHI_TEST_DATABASE_URL;
const writer = fileURLToPath(new URL('./ledger-writer.ts', import.meta.url));
let dir: string;
let target: string;
let databaseName: string | undefined;

async function serverQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

interface Run {
  readonly child: ChildProcess;
  readonly acks: Map<number, boolean>;
  readonly failed: { i: number; code: string }[];
  /** Resolves when the child says `stop(lines)` is true, or at `done`. */
  until(stop: () => boolean): Promise<void>;
}

function startWriter(): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, target], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const acks = new Map<number, boolean>();
  const failed: { i: number; code: string }[] = [];
  let done = false;
  let waiting: { stop: () => boolean; resolve: () => void } | undefined;
  return new Promise((ready, reject) => {
    child.once('exit', (code) => {
      waiting?.resolve();
      if (!done) reject(new Error(`the writer exited (${code}) before it was ready`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as {
        ready?: true;
        ack?: number;
        repeated?: boolean;
        failed?: number;
        code?: string;
        done?: true;
      };
      if (message.ready)
        ready({
          child,
          acks,
          failed,
          until: (stop) =>
            new Promise((resolve) => {
              waiting = { stop, resolve };
            }),
        });
      if (message.ack !== undefined) acks.set(message.ack, message.repeated === true);
      if (message.failed !== undefined) failed.push({ i: message.failed, code: message.code ?? '' });
      if (message.done) done = true;
      if (waiting && (done || waiting.stop())) waiting.resolve();
    });
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'machi-kill-ledger-'));
  if (serverUrl) {
    databaseName = `machi_kill_ledger_${randomBytes(6).toString('hex')}`;
    await serverQuery(`create database ${databaseName}`);
    const url = new URL(serverUrl);
    url.pathname = `/${databaseName}`;
    target = url.toString();
  } else {
    target = join(dir, 'internet');
  }
});
afterAll(async () => {
  if (databaseName) await serverQuery(`drop database if exists ${databaseName} with (force)`);
  rmSync(dir, { recursive: true, force: true });
});

describe('SIGKILL while payments are posted', () => {
  it('loses and duplicates nothing: every acknowledged payment once, balances equal to their transfers', async () => {
    const first = await startWriter();
    first.child.stdin!.write(`run 0 ${PAYMENTS}\n`);
    await first.until(() => first.acks.size >= KILL_AFTER);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const acknowledged = [...first.acks.keys()];
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(acknowledged.length).toBeLessThan(PAYMENTS);

    // Restarted on the same data, every payment is sent again, as clients retry.
    const second = await startWriter();
    second.child.stdin!.write(`run 0 ${PAYMENTS}\n`);
    await second.until(() => false);
    second.child.stdin!.end();
    expect(second.failed).toEqual([]);
    expect(second.acks.size).toBe(PAYMENTS);
    for (const i of acknowledged) expect(second.acks.get(i), `payment ${i}`).toBe(true);

    const database = await openDatabase(
      target.startsWith('postgres') ? { url: target, poolSize: 2 } : { dataDir: target },
    );
    try {
      const db = database.db as unknown as PointsLedgerDb;
      const scope = tenantScope(parseLgCode('131016'));
      const payments = await db
        .selectFrom('points_transfers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('code', '=', 'payment')
        .executeTakeFirstOrThrow();
      expect(Number(payments.n)).toBe(PAYMENTS);
      const reconciliation = await reconcileLedger(db, scope);
      expect(reconciliation.mismatches).toEqual([]);
      expect(reconciliation.sum).toBe(0);
      expect(reconciliation.strayLegs).toBe(0);
      let paid = 0;
      for (let r = 0; r < RESIDENTS; r++) {
        let owed = 0;
        for (let i = r; i < PAYMENTS; i += RESIDENTS) owed += amountOf(i);
        paid += owed;
        expect((await balanceOf(db, scope, payerOf(r))).posted).toBe(GRANT - owed);
      }
      expect((await balanceOf(db, scope, MERCHANT)).posted).toBe(paid);
      // One audit entry per transfer, in a chain that verifies.
      const audited = await (database.db as Kysely<{ audit_log: { seq: number } }>)
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(audited.n)).toBe(PAYMENTS + RESIDENTS);
      expect((await verifyAuditChain(database.db)).ok).toBe(true);
    } finally {
      await database.close();
    }
  });
});
