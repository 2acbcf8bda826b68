// Issue 5: "killing the process during submission loses and duplicates nothing". The three zones
// run in a child process (test/support/kill-target.ts) on databases that outlive it: PGlite directories in a
// temporary directory, or fresh PostgreSQL databases when MACHI_TEST_DATABASE_URL is set. Signed
// filings go in over real HTTP, a few at a time, and the process gets SIGKILL part-way, with
// requests in flight, some filings stored but not yet answered, and the gateway forwarding to
// lgwan. Restarted on the same data, every filing is sent again with its own idempotency key and
// bytes. Then: what was acknowledged keeps its receipt, each filing is stored once and audited
// once, every audit chain verifies, and lgwan holds one case per filing.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDetached } from '../../src/modules/jpki/index.ts';
import { loadCatalogue } from '../../src/modules/procedures/index.ts';
import { PASSWORD } from '../jpki/support.ts';
import { type SignedInResident, signedInResident } from '../sanitize/support.ts';
import { type KillTarget, startKillTarget } from '../support/kill-target.ts';
import { fewAtATime, type KillZones, openKillZones, sendUntilKilled } from '../support/kill-zones.ts';

const PROCEDURE = 'child-allowance-certification';
const FILINGS = 200;
const IN_FLIGHT = 8;
/** The process is killed once this many filings have been acknowledged… */
const KILL_AFTER = Math.floor(FILINGS * 0.4);
/** …and this many more stored, their answers held back. */
const HELD = 3;

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

let zonesData: KillZones;
let filings: Filing[];

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

beforeAll(async () => {
  zonesData = await openKillZones('machi-kill-');
  // Two residents of 千代田区 with cards, signed in (sessions are rows: they survive restarts).
  const residents = await zonesData.seed(async (zones) => [
    await signedInResident(zones, 901),
    await signedInResident(zones, 902),
  ]);
  filings = await Promise.all(
    Array.from({ length: FILINGS }, (_, n) => signedFiling(residents[n % residents.length]!, n)),
  );
});

afterAll(async () => {
  await zonesData?.remove();
});

describe('SIGKILL while residents file online', () => {
  it('loses and duplicates nothing: receipts kept, one row, one audit entry and one case per filing', async () => {
    const first = await startKillTarget(zonesData.env);
    const plan = { count: FILINGS, inFlight: IN_FLIGHT, killAfter: KILL_AFTER, held: HELD };
    const { acknowledged, inDoubt } = await sendUntilKilled(first, plan, (index) =>
      post(first, filings[index]!),
    );
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER);

    // Restarted on the same data, every filing is sent again: the same key, the same bytes.
    const target = await startKillTarget(zonesData.env);
    const receipts = new Map<number, Receipt>();
    await fewAtATime(
      FILINGS,
      IN_FLIGHT,
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
    await zonesData.verifyAuditChains();

    const byKey = new Map(filings.map((filing, index) => [filing.idempotencyKey, receipts.get(index)!]));
    const submissionIds = [...byKey.values()].map((receipt) => receipt.submissionId).sort();
    await zonesData.inZoneDatabase('internet', async (db) => {
      // One row per filing, under the receipt its resident holds, forwarded; one audit entry each.
      const rows = await sql<{ idempotency_key: string; submission_id: string; receipt_number: string }>`
        select idempotency_key, submission_id, receipt_number from procedure_submissions s
        where forward_error is null and not exists (select from procedure_submissions_unsent u
          where u.municipality_code = s.municipality_code and u.submission_id = s.submission_id)`.execute(db);
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
    await zonesData.inZoneDatabase('lgwan', async (db) => {
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
