import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLgCode, tenantScope } from '../../src/core/index.ts';
import {
  accountId,
  issueMerchantKey,
  type MerchantKeysDb,
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
/** Terminal keys: 神田商店 in 千代田区, and the same merchant id in 札幌市. */
let kandaKey: string;
let sapporoKey: string;

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
  const keys = zones.internet.context.database.db as MerchantKeysDb;
  kandaKey = (await issueMerchantKey(keys, chiyoda, 'm-kanda', 'レジ1', now)).token;
  sapporoKey = (await issueMerchantKey(keys, sapporo, 'm-kanda', 'till', now)).token;
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

describe('the merchant API (a till or tablet with its terminal key)', () => {
  const asTerminal = (token: string | undefined) => (method: 'GET' | 'POST', url: string, payload?: object) =>
    zones.internet.app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });
  const today = () => new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);

  it('refuses a request without a key, with a forged one, and with a wrong secret', async () => {
    const wrongSecret = `${kandaKey.slice(0, -1)}${kandaKey.endsWith('x') ? 'y' : 'x'}`;
    for (const token of [undefined, `mk_AAAAAAAAAAAAAAAA.${'A'.repeat(43)}`, wrongSecret]) {
      const response = await asTerminal(token)('GET', '/api/v1/points/merchant/day');
      expect(response.statusCode).toBe(401);
      expect(response.json().type).toBe('/problems/authentication-required');
    }
  });

  it('makes the code to show: static, or with an amount the resident then pays', async () => {
    const made = await asTerminal(kandaKey)('POST', '/api/v1/points/merchant/codes', {
      amount: 75,
      reference: 'T-9',
    });
    expect(made.statusCode, made.body).toBe(200);
    expect(made.json().kind).toBe('dynamic');
    const paid = await as(hanako)('POST', '/api/v1/points/payments', {
      qr: made.json().qr,
      paymentId: paymentId(),
    });
    expect(paid.statusCode, paid.body).toBe(201);
    expect(paid.json()).toMatchObject({ amount: 75, reference: 'T-9' });
    const bad = await asTerminal(kandaKey)('POST', '/api/v1/points/merchant/codes', { amount: -1 });
    expect(bad.json().type).toBe('/problems/validation-failed');
  });

  it("lists the day's payments by reference, never who paid, with totals; another municipality's terminal sees none", async () => {
    const day = await asTerminal(kandaKey)('GET', `/api/v1/points/merchant/day?date=${today()}`);
    expect(day.statusCode, day.body).toBe(200);
    const body = day.json();
    expect(body.payments.map((one: { amount: number }) => one.amount)).toEqual([300, 250, 75]);
    expect(body).toMatchObject({ total: 625, refunded: 0, net: 625 });
    expect(day.body).not.toContain(myKeyId);
    const elsewhere = await asTerminal(sapporoKey)('GET', `/api/v1/points/merchant/day?date=${today()}`);
    expect(elsewhere.json()).toMatchObject({ payments: [], total: 0 });
  });

  it('refunds a payment once, to the payer, and only the merchant that was paid may', async () => {
    const before = await balance();
    const { payments } = (await asTerminal(kandaKey)('GET', '/api/v1/points/merchant/day')).json();
    const ref = payments[0].ref as string;
    const foreign = await asTerminal(sapporoKey)('POST', '/api/v1/points/merchant/refunds', { ref });
    expect(foreign.statusCode).toBe(404);
    const refunded = await asTerminal(kandaKey)('POST', '/api/v1/points/merchant/refunds', { ref });
    expect(refunded.statusCode, refunded.body).toBe(201);
    expect(refunded.json().amount).toBe(300);
    const again = await asTerminal(kandaKey)('POST', '/api/v1/points/merchant/refunds', { ref });
    expect(again.statusCode).toBe(200);
    expect(await balance()).toBe(before + 300);
    const day = (await asTerminal(kandaKey)('GET', '/api/v1/points/merchant/day')).json();
    expect(day).toMatchObject({ total: 625, refunded: 300, net: 325 });
    const unknown = await asTerminal(kandaKey)('POST', '/api/v1/points/merchant/refunds', {
      ref: '0123456789abcdef',
    });
    expect(unknown.statusCode).toBe(404);
    const result = await reconcileLedger(ledger, chiyoda);
    expect(result.mismatches).toEqual([]);
  });
});
