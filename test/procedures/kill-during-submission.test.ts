// Issue 5: "killing the process during submission loses and duplicates nothing". The three zones
// run in a child process (kill-target.ts) on databases that outlive it: PGlite directories in a
// temporary directory, or fresh PostgreSQL databases when MACHI_TEST_DATABASE_URL is set. Signed
// filings go in over real HTTP, a few at a time, and the process gets SIGKILL part-way, with
// requests in flight, some filings stored but not yet answered, and the gateway forwarding to
// lgwan. Restarted on the same data, every filing is sent again with its own idempotency key and
// bytes. Then: what was acknowledged keeps its receipt, each filing is stored once and audited
// once, every audit chain verifies, and lgwan holds one case per filing.
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Database,
  loadConfig,
  type MachiConfig,
  openDatabase,
  zoneNames,
} from '../../src/core/index.ts';
import { signDetached } from '../../src/modules/jpki/index.ts';
import { loadCatalogue } from '../../src/modules/procedures/index.ts';
import {
  createEmbeddedNetwork,
  internetZone,
  lgwanZone,
  mynumberZone,
  openZone,
  type RunningZone,
} from '../../src/zones/index.ts';
import { PASSWORD } from '../jpki/support.ts';
import { type SignedInResident, signedInResident } from '../sanitize/support.ts';
import { runMachi } from '../support/machi.ts';
import { createTestPki } from '../support/pki.ts';
import { type KillTarget, killAllKillTargets, startKillTarget } from './kill-target.ts';

const PROCEDURE = 'child-allowance-certification';
const FILINGS = 200;
const IN_FLIGHT = 8;
/** The process is killed once this many filings have been acknowledged… */
const KILL_AFTER = Math.floor(FILINGS * 0.4);
/** …and this many more stored, their answers held back. */
const HELD = 3;
const serverUrl = process.env.MACHI_TEST_DATABASE_URL;

interface Filing {
  readonly who: SignedInResident;
  readonly idempotencyKey: string;
  /** The request body, kept as sent: the retry sends the very same bytes. */
  readonly body: string;
}
interface Receipt {
  readonly status: number;
  readonly submissionId: string;
  readonly receiptNumber: string;
}

let root: string | undefined;
let pki: { dir: string; remove: () => void } | undefined;
/** MACHI_* for the child, the seeding and the CLI. */
let env: Record<string, string>;
let config: MachiConfig;
const databases: string[] = [];
let filings: Filing[];

async function serverQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** PGlite directories under `root`, or a fresh PostgreSQL database for each zone. */
async function zoneEnvironment(dir: string, jpkiDir: string): Promise<Record<string, string>> {
  const values: Record<string, string> = {
    MACHI_DATA_DIR: join(dir, 'data'),
    MACHI_JPKI_DIR: jpkiDir,
    MACHI_LGPKI_DIR: join(dir, 'lgpki'),
    MACHI_MUNICIPALITIES: '131016',
  };
  const suffix = randomBytes(6).toString('hex');
  for (const zone of zoneNames) {
    const upper = zone.toUpperCase();
    // Set empty on PGlite, so that no MACHI_* of the test's own environment reaches the CLI.
    values[`MACHI_${upper}_DATABASE_URL`] = '';
    if (!serverUrl) continue;
    const name = `machi_kill_${suffix}_${zone}`;
    await serverQuery(`create database ${name}`);
    databases.push(name);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    values[`MACHI_${upper}_DATABASE_URL`] = url.toString();
    values[`MACHI_${upper}_DATABASE_POOL`] = '5';
  }
  return values;
}

/**
 * On PGlite, one empty data directory copied for each zone: making one (initdb) costs seconds
 * of CPU, copying a closed one costs nothing, and each zone migrates its copy as it opens.
 */
async function emptyPGliteDirectories(): Promise<void> {
  if (serverUrl) return;
  const template = join(root!, 'template');
  await (await openDatabase({ dataDir: template })).close();
  for (const zone of zoneNames) cpSync(template, config.zones[zone].dataDir, { recursive: true });
  rmSync(template, { recursive: true });
}

/** Two residents of 千代田区 with cards, signed in (sessions are rows: they survive restarts). */
async function seedResidents(): Promise<SignedInResident[]> {
  await emptyPGliteDirectories();
  const network = createEmbeddedNetwork();
  // Side by side, as `machi start` opens them.
  const [internet, lgwan, mynumber] = (await Promise.all(
    [internetZone, lgwanZone, mynumberZone].map((zone) => openZone(zone, config, { gateway: network })),
  )) as [RunningZone, RunningZone, RunningZone];
  try {
    const zones = { internet, lgwan, mynumber, close: async () => {} };
    return [await signedInResident(zones, 901), await signedInResident(zones, 902)];
  } finally {
    for (const zone of [internet, mynumber, lgwan]) await zone.close();
  }
}

async function signedFiling(who: SignedInResident, n: number): Promise<Filing> {
  const document = new TextEncoder().encode(
    JSON.stringify({
      procedureId: PROCEDURE,
      municipalityCode: '131016',
      data: loadCatalogue().get(PROCEDURE)!.definition.examples.valid,
      attachments: [],
      // Part of what is signed: each filing is a document of its own, with a signature of its own.
      filedAt: new Date(Date.UTC(2026, 3, 1) + n * 1_000).toISOString(),
    }),
  );
  const certificate = await who.card.certificate('signing');
  const signature = await signDetached(
    document,
    { certificate, sign: (bytes) => who.card.sign('signing', PASSWORD, bytes) },
    { signingTime: new Date() },
  );
  const idempotencyKey = randomUUID();
  const body = JSON.stringify({
    idempotencyKey,
    document: Buffer.from(document).toString('base64'),
    signature: Buffer.from(signature).toString('base64'),
  });
  return { who, idempotencyKey, body };
}

/** Posts a filing: a cut connection throws a TypeError; an answer without a receipt fails the test. */
async function post(target: KillTarget, filing: Filing): Promise<Receipt> {
  const response = await fetch(`http://127.0.0.1:${target.port}/api/v1/procedures/${PROCEDURE}/submissions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie: filing.who.cookie,
      'x-csrf-token': filing.who.csrf,
    },
    body: filing.body,
  });
  const text = await response.text();
  expect([200, 201], text).toContain(response.status);
  const { submissionId, receiptNumber } = JSON.parse(text) as Omit<Receipt, 'status'>;
  return { status: response.status, submissionId, receiptNumber };
}

/** Runs `work` over the filings, IN_FLIGHT at a time, until all are done or `stop()`. */
async function fewAtATime(stop: () => boolean, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (!stop() && next < FILINGS) await work(next++);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
}

/**
 * Files until KILL_AFTER are acknowledged, then has the process hold its answers until HELD
 * more are stored, and kills it while the sending goes on. Those and whatever else was in
 * flight are in doubt: the resident does not know whether they were filed.
 */
async function fileUntilKilled(target: KillTarget) {
  const acknowledged = new Map<number, Receipt>();
  const inDoubt = new Set<number>();
  let killing: Promise<unknown> | undefined;
  let killed = false;
  await fewAtATime(
    () => killed,
    async (index) => {
      let receipt: Receipt;
      try {
        receipt = await post(target, filings[index]!);
      } catch (error) {
        // Only a connection the kill cut leaves a filing in doubt.
        if (killing === undefined || !(error instanceof TypeError)) throw error;
        inDoubt.add(index);
        return;
      }
      expect(receipt.status).toBe(201);
      acknowledged.set(index, receipt);
      if (acknowledged.size < KILL_AFTER) return;
      killing ??= target.holdAnswers(HELD).then(() => {
        killed = true;
        return target.kill();
      });
    },
  );
  expect(await killing).toEqual({ code: null, signal: 'SIGKILL' });
  return { acknowledged, inDoubt };
}

/** `machi audit verify --zone Z` for each zone, with the zones' configuration in the environment. */
async function verifyAuditChains(): Promise<void> {
  const saved = Object.keys(env).map((name) => [name, process.env[name]] as const);
  Object.assign(process.env, env);
  try {
    for (const zone of zoneNames) {
      const verified = await runMachi('audit', 'verify', '--zone', zone, '--json');
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      expect(JSON.parse(verified.stdout)).toMatchObject({ zone, ok: true });
    }
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** Reads a zone's database once its process has stopped (a PGlite directory has one user). */
async function inZoneDatabase<T>(zone: 'internet' | 'lgwan', read: (db: Database['db']) => Promise<T>) {
  const { databaseUrl, dataDir } = config.zones[zone];
  const database = await openDatabase({ url: databaseUrl, dataDir, poolSize: 1 });
  try {
    return await read(database.db);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'machi-kill-'));
  pki = await createTestPki();
  env = await zoneEnvironment(root, pki.dir);
  config = loadConfig(env);
  const residents = await seedResidents();
  filings = await Promise.all(
    Array.from({ length: FILINGS }, (_, n) => signedFiling(residents[n % residents.length]!, n)),
  );
});

afterAll(async () => {
  await killAllKillTargets();
  for (const name of databases) await serverQuery(`drop database if exists ${name} with (force)`);
  pki?.remove();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('SIGKILL while residents file online', () => {
  it('loses and duplicates nothing: receipts kept, one row, one audit entry and one case per filing', async () => {
    const { acknowledged, inDoubt } = await fileUntilKilled(await startKillTarget(env));
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(inDoubt.size).toBeGreaterThanOrEqual(HELD);

    // Restarted on the same data, every filing is sent again: the same key, the same bytes.
    const target = await startKillTarget(env);
    const receipts = new Map<number, Receipt>();
    await fewAtATime(
      () => false,
      async (index) => {
        receipts.set(index, await post(target, filings[index]!));
      },
    );
    for (const [index, before] of acknowledged) {
      // Acknowledged before the kill: the same receipt, nothing new made.
      expect(receipts.get(index)).toEqual({ ...before, status: 200 });
    }
    // The held ones were stored: the resident who never heard gets the receipt now.
    const storedUnanswered = [...inDoubt].filter((index) => receipts.get(index)!.status === 200);
    expect(storedUnanswered.length).toBeGreaterThanOrEqual(HELD);
    for (const index of receipts.keys()) {
      if (!acknowledged.has(index) && !inDoubt.has(index)) expect(receipts.get(index)!.status).toBe(201);
    }

    // The zone's own background task forwards the rest to lgwan; then the process stops cleanly.
    const deadline = Date.now() + 45_000;
    for (let unsent = await target.unsent(); unsent > 0; unsent = await target.unsent()) {
      expect(Date.now(), `${unsent} filings still not forwarded`).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await target.stop();
    await verifyAuditChains();

    const byKey = new Map(filings.map((filing, index) => [filing.idempotencyKey, receipts.get(index)!]));
    const submissionIds = [...byKey.values()].map((receipt) => receipt.submissionId).sort();
    await inZoneDatabase('internet', async (db) => {
      // One row per filing, under the receipt its resident holds, forwarded; one audit entry each.
      const rows = await sql<{ idempotency_key: string; submission_id: string; receipt_number: string }>`
        select idempotency_key, submission_id, receipt_number from procedure_submissions
        where sent_at is not null and forward_error is null`.execute(db);
      expect(rows.rows.map((row) => `${row.submission_id} ${row.receipt_number}`).sort()).toEqual(
        [...byKey.values()].map((receipt) => `${receipt.submissionId} ${receipt.receiptNumber}`).sort(),
      );
      const all = await sql<{ n: number }>`select count(*)::int as n from procedure_submissions`.execute(db);
      expect(all.rows[0]!.n).toBe(FILINGS);
      for (const row of rows.rows)
        expect(byKey.get(row.idempotency_key)?.submissionId).toBe(row.submission_id);
      const audited = await sql<{ target: string }>`
        select target from audit_log where action = 'procedures.submit'`.execute(db);
      expect(audited.rows.map((row) => row.target).sort()).toEqual(submissionIds);
    });
    await inZoneDatabase('lgwan', async (db) => {
      // One case per filing under its receipt number, received once, from one message each.
      const cases = await sql<{ submission_id: string; receipt_number: string; received: number }>`
        select c.submission_id, c.receipt_number,
          (select count(*) from procedure_case_events e
            where e.municipality_code = c.municipality_code and e.submission_id = c.submission_id
              and e.kind = 'received')::int as received
        from procedure_cases c`.execute(db);
      expect(
        cases.rows.map((row) => `${row.submission_id} ${row.receipt_number} ${row.received}`).sort(),
      ).toEqual(
        [...byKey.values()].map((receipt) => `${receipt.submissionId} ${receipt.receiptNumber} 1`).sort(),
      );
      const messages = await sql<{ n: number }>`
        select count(*)::int as n from gateway_inbox where type = 'procedures.submission'`.execute(db);
      expect(messages.rows[0]!.n).toBe(FILINGS);
    });
  }, 120_000);
});
