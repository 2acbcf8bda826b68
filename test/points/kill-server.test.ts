import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLgCode, tenantScope } from '../../src/core/index.ts';
import {
  accountId,
  balanceOf,
  type MerchantsDb,
  merchantQrText,
  openAccount,
  type PointsLedgerDb,
  type PointsLedgerTables,
  postTransfer,
  reconcileLedger,
  registerMerchant,
} from '../../src/modules/points/index.ts';
import { asResident } from '../procedures/support.ts';
import { type SignedInResident, signedInResident } from '../sanitize/support.ts';
import { type KillTarget, startKillTarget } from '../support/kill-target.ts';
import { fewAtATime, type KillZones, openKillZones, sendUntilKilled } from '../support/kill-zones.ts';

const chiyoda = tenantScope(parseLgCode('131016'));
const PAYMENTS = 240;
const IN_FLIGHT = 12;
const AMOUNT = 10;
const GRANT = 100_000;
/** The process is killed once this many payments have been acknowledged… */
const KILL_AFTER = 80;
/** …and this many more committed, their answers held back. */
const HELD = 3;

interface Payer {
  readonly who: SignedInResident;
  readonly myKeyId: string;
}
interface Payment {
  readonly payer: Payer;
  readonly paymentId: string;
}

let zonesData: KillZones;
let qr: string;
let payers: Payer[];
let payments: Payment[];

/** Two residents with cards, signed in, with MyKey IDs and points; a shop (sessions and all are rows: they survive restarts). */
async function seed(): Promise<void> {
  await zonesData.seed(async (zones) => {
    const { internet } = zones;
    const ledger = internet.context.database.db as unknown as Kysely<PointsLedgerTables>;
    const now = internet.context.clock.now();
    await openAccount(ledger, chiyoda, 'issuance', 'earning', now);
    const shop = await registerMerchant(
      internet.context.database.db as MerchantsDb,
      chiyoda,
      {
        merchantId: 'm-kanda',
        name: '神田商店',
        nameLatin: 'KANDA SHOTEN',
        cityLatin: 'CHIYODA-KU',
        categoryCode: '5411',
        feeBasisPoints: 100,
      },
      now,
    );
    qr = merchantQrText(chiyoda, shop);
    payers = [];
    for (const n of [921, 922]) {
      const who = await signedInResident(zones, n);
      const setUp = await asResident(zones, who)('POST', '/api/v1/points/mykey');
      const { myKeyId } = setUp.json() as { myKeyId: string };
      await postTransfer(
        ledger,
        { audit: internet.context.audit, clock: internet.context.clock },
        chiyoda,
        {
          transferId: `grant-${myKeyId}`,
          code: 'earning',
          legs: [
            {
              debit: accountId('issuance', 'earning'),
              credit: accountId('resident', myKeyId),
              amount: GRANT,
            },
          ],
        },
        'system',
      );
      payers.push({ who, myKeyId });
    }
  });
}

/** Pays: a cut connection throws a TypeError; an answer that is not a receipt fails the test. */
async function pay(target: KillTarget, payment: Payment): Promise<{ status: number; ref: string }> {
  const response = await fetch(`http://127.0.0.1:${target.port}/api/v1/points/payments`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie: payment.payer.who.cookie,
      'x-csrf-token': payment.payer.who.csrf,
    },
    body: JSON.stringify({ qr, amount: AMOUNT, paymentId: payment.paymentId }),
  });
  const text = await response.text();
  expect([200, 201], text).toContain(response.status);
  return { status: response.status, ref: (JSON.parse(text) as { ref: string }).ref };
}

beforeAll(async () => {
  zonesData = await openKillZones('machi-kill-points-');
  await seed();
  payments = Array.from({ length: PAYMENTS }, (_, n) => ({
    payer: payers[n % payers.length]!,
    paymentId: `kill-${String(n).padStart(4, '0')}`,
  }));
}, 120_000);

afterAll(async () => {
  await zonesData?.remove();
});

describe('SIGKILL of the server while residents pay', () => {
  it('loses and duplicates nothing: every acknowledged payment once, balances equal to their transfers', async () => {
    const first = await startKillTarget(zonesData.env);
    const plan = { count: PAYMENTS, inFlight: IN_FLIGHT, killAfter: KILL_AFTER, held: HELD };
    const { acknowledged, inDoubt } = await sendUntilKilled(first, plan, (index) =>
      pay(first, payments[index]!),
    );

    // Restarted on the same data, every payment is sent again under its own id.
    const second = await startKillTarget(zonesData.env);
    const answers = new Map<number, { status: number; ref: string }>();
    await fewAtATime(
      PAYMENTS,
      IN_FLIGHT,
      () => false,
      async (index) => {
        answers.set(index, await pay(second, payments[index]!));
      },
    );
    for (const [index, { ref }] of acknowledged) expect(answers.get(index)).toEqual({ status: 200, ref });
    // The held ones were posted: the payer who never heard gets the receipt now, not a second payment.
    expect([...inDoubt].filter((index) => answers.get(index)!.status === 200).length).toBeGreaterThanOrEqual(
      HELD,
    );
    await second.stop();
    await zonesData.verifyAuditChains();

    await zonesData.inZoneDatabase('internet', async (db) => {
      const posted = await sql<{ transfer_id: string; ref: string }>`
        select transfer_id, details ->> 'ref' as ref from points_transfers
        where municipality_code = ${chiyoda.municipalityCode} and code = 'payment' and state = 'posted'`.execute(
        db,
      );
      expect(posted.rows).toHaveLength(PAYMENTS);
      const refs = new Map(posted.rows.map((row) => [row.transfer_id, row.ref]));
      for (const [index, payment] of payments.entries()) {
        expect(refs.get(`pay:${payment.payer.myKeyId}:${payment.paymentId}`)).toBe(answers.get(index)!.ref);
      }
      const audited = await sql<{ n: number }>`
        select count(*)::int as n from audit_log
        where action = 'points.transfer' and target like 'pay:%'`.execute(db);
      expect(audited.rows[0]!.n).toBe(PAYMENTS);
      const ledger = db as unknown as PointsLedgerDb;
      const reconciled = await reconcileLedger(ledger, chiyoda);
      expect(reconciled.mismatches).toEqual([]);
      expect(reconciled.sum).toBe(0);
      expect(reconciled.strayLegs).toBe(0);
      for (const [n, payer] of payers.entries()) {
        const paid = payments.filter((_, index) => index % payers.length === n).length * AMOUNT;
        const balance = await balanceOf(ledger, chiyoda, accountId('resident', payer.myKeyId));
        expect(balance).toMatchObject({ posted: GRANT - paid, available: GRANT - paid });
      }
    });
  }, 180_000);
});
