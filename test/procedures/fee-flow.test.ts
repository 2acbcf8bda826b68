// A procedure with a fee (保管場所証明, 2,600 yen in Tokyo) through the three zones: the filing
// waits on the portal until its fee is paid (a declined card changes nothing, a double click
// is one charge), then crosses to the back office; a rejection there pays the fee back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadCatalogue,
  reconcileFees,
  TEST_CARDS,
  testPaymentProvider,
} from '../../src/modules/procedures/index.ts';
import { patternJpeg } from '../../src/modules/sanitize/image/test-corpus.ts';
import { forwardSubmissions } from '../../src/zones/internet/procedures.ts';
import type { ThreeZones } from '../gateway/support.ts';
import { openZonesWithPki, type SignedInResident, signedInResident, upload } from '../sanitize/support.ts';
import { type SignedInStaff, signedInStaff } from '../support/staff.ts';
import { asResident, asStaff, signedFiling } from './support.ts';

const PROCEDURE = 'vehicle-parking-certificate';
const valid = loadCatalogue().get(PROCEDURE)!.definition.examples.valid;
let zones: ThreeZones & { remove(): void };
let resident: SignedInResident;
let clerk: SignedInStaff;

beforeAll(async () => {
  zones = await openZonesWithPki();
  resident = await signedInResident(zones, 811);
  clerk = await signedInStaff(zones.lgwan, { municipalityCode: '131016', roles: ['case-worker'] });
});
afterAll(async () => {
  await zones?.close();
  zones?.remove();
});

const portal = (method: 'GET' | 'POST', url: string, payload?: object) =>
  asResident(zones, resident)(method, url, payload);

async function attach(id: string, seed: number) {
  const uploaded = await upload(zones, resident, patternJpeg(200 + seed, 150));
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  return { id, uploadId: uploaded.json().uploadId, sha256: uploaded.json().report.output.sha256 };
}

async function caseCount(): Promise<number> {
  return (
    await zones.lgwan.context.database.db
      .selectFrom('procedure_cases' as never)
      .selectAll()
      .execute()
  ).length;
}

describe('a filing with a fee', () => {
  it('crosses inward only once paid, once; a rejection refunds it', async () => {
    const filed = await portal(
      'POST',
      `/api/v1/procedures/${PROCEDURE}/submissions`,
      await signedFiling(resident, {
        procedureId: PROCEDURE,
        data: valid,
        attachments: [await attach('location-map', 1), await attach('right-of-use', 2)],
      }),
    );
    expect(filed.statusCode, filed.body).toBe(201);
    const { submissionId, receiptNumber } = filed.json();
    const fee = `/api/v1/submissions/${submissionId}/fee`;
    expect((await portal('GET', fee)).json()).toMatchObject({ amountYen: 2600, state: 'due' });

    await forwardSubmissions(zones.internet.context, zones.internet.gateway);
    expect(await caseCount()).toBe(0);

    const declined = await portal('POST', `${fee}/payment`, {
      method: { kind: 'card', token: TEST_CARDS.declined },
    });
    expect(declined.json()).toMatchObject({ type: '/problems/payment-declined', status: 402 });
    const bad = await portal('POST', `${fee}/payment`, { method: { kind: 'cash' } });
    expect(bad.statusCode).toBe(400);

    const card = { method: { kind: 'card', token: TEST_CARDS.approved } };
    const [first, second] = await Promise.all([
      portal('POST', `${fee}/payment`, card),
      portal('POST', `${fee}/payment`, card),
    ]);
    expect([first.statusCode, second.statusCode], `${first.body} ${second.body}`).toEqual([200, 200]);
    const confirmed = await portal('POST', `${fee}/confirmation`);
    expect(confirmed.json()).toMatchObject({ amountYen: 2600, state: 'paid' });
    const charges = await zones.internet.context.database.db
      .selectFrom('test_payment_provider_payments' as never)
      .selectAll()
      .execute();
    expect(charges.filter((c) => (c as { status: string }).status === 'succeeded')).toHaveLength(1);

    await forwardSubmissions(zones.internet.context, zones.internet.gateway);
    expect(await caseCount()).toBe(1);

    const rejected = await asStaff(zones.lgwan, clerk)(
      'POST',
      `/api/v1/municipalities/131016/cases/${receiptNumber}/decision`,
      { outcome: 'rejected', reasons: '保管場所が使用の本拠の位置から2キロメートルを超えています。' },
    );
    expect(rejected.statusCode, rejected.body).toBe(200);
    await zones.internet.gateway.pull('lgwan', 100);
    expect((await portal('GET', fee)).json().state).toBe('refunding');
    // The fee upkeep pays it back (every 30 s in production).
    const context = zones.internet.context;
    await reconcileFees({ ...context, provider: testPaymentProvider(context.database, context.clock) });
    expect((await portal('GET', fee)).json()).toMatchObject({ state: 'refunded' });
  });
});
