import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLgCode, tenantScope } from '../../src/core/index.ts';
import {
  accountId,
  type MerchantsDb,
  merchantQrText,
  openAccount,
  type PointsLedgerTables,
  postTransfer,
  reconcileLedger,
  registerMerchant,
} from '../../src/modules/points/index.ts';
import type { ThreeZones } from '../gateway/support.ts';
import { asResident } from '../procedures/support.ts';
import { openZonesWithPki, type SignedInResident, signedInResident } from '../sanitize/support.ts';

const chiyoda = tenantScope(parseLgCode('131016'));
const sapporo = tenantScope(parseLgCode('011002'));
let zones: ThreeZones & { remove(): void };
let hanako: SignedInResident;
let myKeyId: string;
let ledger: Kysely<PointsLedgerTables>;
let shopQr: string;

const merchant = {
  merchantId: 'm-kanda',
  name: '神田商店',
  nameLatin: 'KANDA SHOTEN',
  cityLatin: 'CHIYODA-KU',
  categoryCode: '5411',
  postalCode: '1010047',
  feeBasisPoints: 100,
};
const paymentId = () => `app-${randomUUID()}`;
const as = (who: SignedInResident) => asResident(zones, who);
const internetContext = () => ({ audit: zones.internet.context.audit, clock: zones.internet.context.clock });

async function balance() {
  const response = await as(hanako)('GET', '/api/v1/points/me');
  expect(response.statusCode, response.body).toBe(200);
  return response.json().balance.posted as number;
}

beforeAll(async () => {
  zones = await openZonesWithPki();
  hanako = await signedInResident(zones, 901);
  ledger = zones.internet.context.database.db as unknown as Kysely<PointsLedgerTables>;
  const now = zones.internet.context.clock.now();
  const shop = await registerMerchant(
    zones.internet.context.database.db as MerchantsDb,
    chiyoda,
    merchant,
    now,
  );
  await registerMerchant(zones.internet.context.database.db as MerchantsDb, sapporo, merchant, now);
  shopQr = merchantQrText(chiyoda, shop);
  await openAccount(ledger, chiyoda, 'issuance', 'earning', now);
});
afterAll(async () => {
  await zones?.close();
  zones?.remove();
});

describe('the MyKey ID', () => {
  it('needs a signed-in resident, and is set up once', async () => {
    const anonymous = await zones.internet.app.inject({ method: 'POST', url: '/api/v1/points/mykey' });
    expect(anonymous.statusCode).toBe(401);
    expect((await as(hanako)('GET', '/api/v1/points/me')).json().type).toBe('/problems/conflict');
    const first = await as(hanako)('POST', '/api/v1/points/mykey');
    expect(first.statusCode, first.body).toBe(201);
    myKeyId = first.json().myKeyId;
    expect(myKeyId).toMatch(/^MK[A-Z2-9]{12}$/);
    const again = await as(hanako)('POST', '/api/v1/points/mykey');
    expect(again.statusCode).toBe(200);
    expect(again.json().myKeyId).toBe(myKeyId);
    expect(await balance()).toBe(0);
  });

  it('refuses a POST without the CSRF token', async () => {
    const response = await zones.internet.app.inject({
      method: 'POST',
      url: '/api/v1/points/mykey',
      headers: { cookie: hanako.cookie },
    });
    expect(response.statusCode).toBe(403);
  });
});

describe('paying a shop by its QR code', () => {
  beforeAll(async () => {
    await postTransfer(
      ledger,
      internetContext(),
      chiyoda,
      {
        transferId: 'event-2026-04-01',
        code: 'earning',
        legs: [
          { debit: accountId('issuance', 'earning'), credit: accountId('resident', myKeyId), amount: 1_000 },
        ],
      },
      'system',
    );
  });

  it('pays the amount typed for a static code, once however often it is sent', async () => {
    const id = paymentId();
    const first = await as(hanako)('POST', '/api/v1/points/payments', {
      qr: shopQr,
      amount: 300,
      paymentId: id,
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      amount: 300,
      merchant: { merchantId: 'm-kanda', name: '神田商店' },
    });
    const again = await as(hanako)('POST', '/api/v1/points/payments', {
      qr: shopQr,
      amount: 300,
      paymentId: id,
    });
    expect(again.statusCode).toBe(200);
    expect(await balance()).toBe(700);
  });

  it('pays the amount inside a dynamic code', async () => {
    const shop = { ...merchant, accountId: accountId('merchant', 'm-kanda'), active: true, postalCode: null };
    const qr = merchantQrText(chiyoda, shop, { amount: 250, reference: 'R-0001' });
    const response = await as(hanako)('POST', '/api/v1/points/payments', { qr, paymentId: paymentId() });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ amount: 250, reference: 'R-0001' });
    const differing = await as(hanako)('POST', '/api/v1/points/payments', {
      qr,
      amount: 1,
      paymentId: paymentId(),
    });
    expect(differing.json().type).toBe('/problems/validation-failed');
    expect(await balance()).toBe(450);
  });

  it.each([
    ['more than the balance', () => ({ qr: shopQr, amount: 451 }), 409, 'points-insufficient'],
    ['a damaged code (CRC)', () => ({ qr: shopQr.replace('KANDA', 'KAMDA'), amount: 10 }), 400, 'qr-invalid'],
    ['a static code without an amount', () => ({ qr: shopQr }), 400, 'validation-failed'],
    ['a negative amount', () => ({ qr: shopQr, amount: -10 }), 400, 'validation-failed'],
    ['a fractional amount', () => ({ qr: shopQr, amount: 1.5 }), 400, 'validation-failed'],
    [
      'a shop of another municipality',
      () => ({ qr: merchantQrOf(sapporo), amount: 10 }),
      404,
      'merchant-unknown',
    ],
  ])('refuses %s with a problem, paying nothing', async (_, body, status, type) => {
    const before = await balance();
    const response = await as(hanako)('POST', '/api/v1/points/payments', {
      ...body(),
      paymentId: paymentId(),
    });
    expect(response.statusCode, response.body).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().type).toBe(`/problems/${type}`);
    expect(await balance()).toBe(before);
  });

  it('refuses a well-formed code of a merchant nobody registered', async () => {
    const stranger = {
      ...merchant,
      merchantId: 'm-stranger',
      accountId: 'merchant:m-stranger',
      active: true,
      postalCode: null,
    };
    const response = await as(hanako)('POST', '/api/v1/points/payments', {
      qr: merchantQrText(chiyoda, stranger),
      amount: 10,
      paymentId: paymentId(),
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().type).toBe('/problems/merchant-unknown');
  });

  it('leaves a ledger whose balances are the sum of their transfers', async () => {
    const result = await reconcileLedger(ledger, chiyoda);
    expect(result.mismatches).toEqual([]);
    expect(result.sum).toBe(0);
  });
});

function merchantQrOf(scope: typeof chiyoda): string {
  return merchantQrText(scope, {
    ...merchant,
    accountId: accountId('merchant', 'm-kanda'),
    active: true,
    postalCode: null,
  });
}
