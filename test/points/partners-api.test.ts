import { generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLgCode, tenantScope } from '../../src/core/index.ts';
import {
  accountId,
  balanceOf,
  openAccount,
  type PartnersDb,
  type PointsLedgerTables,
  partnerInvoice,
  partnerSigningInput,
  reconcileLedger,
  registerPartner,
} from '../../src/modules/points/index.ts';
import { internetZone, type RunningZone } from '../../src/zones/index.ts';
import { openTestZone } from '../support/zone.ts';

const chiyoda = tenantScope(parseLgCode('131016'));
const MYKEY = 'MKABCDEFGHJKMN';
const PATH = '/api/v1/municipalities/131016/points/partners/sky-air/exchanges';
let zone: RunningZone;
let ledger: Kysely<PointsLedgerTables>;
let partnerKey: KeyObject;

/** A partner's call as its server makes it: the body, then the signature over timestamp, method, path and body. */
function call(
  body: object,
  options: { key?: KeyObject; path?: string; timestamp?: number; tamper?: (text: string) => string } = {},
) {
  const text = JSON.stringify(body);
  const timestamp = String(options.timestamp ?? Date.now());
  const path = options.path ?? PATH;
  const signature = sign(
    null,
    partnerSigningInput({ timestamp, method: 'POST', path, body: text }),
    options.key ?? partnerKey,
  );
  return zone.app.inject({
    method: 'POST',
    url: path,
    headers: {
      'content-type': 'application/json',
      'x-machi-timestamp': timestamp,
      'x-machi-signature': signature.toString('base64'),
    },
    payload: options.tamper ? options.tamper(text) : text,
  });
}

const exchange = (partnerPoints: number) => ({
  exchangeId: `x-${randomUUID()}`,
  myKeyId: MYKEY,
  partnerPoints,
});
const balance = async () => (await balanceOf(ledger, chiyoda, accountId('resident', MYKEY))).posted;

beforeAll(async () => {
  zone = await openTestZone(internetZone);
  ledger = zone.context.database.db as unknown as Kysely<PointsLedgerTables>;
  const pair = generateKeyPairSync('ed25519');
  partnerKey = pair.privateKey;
  await registerPartner(
    zone.context.database.db as unknown as PartnersDb,
    chiyoda,
    {
      partnerId: 'sky-air',
      name: 'スカイ航空',
      publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      rate: { partnerPoints: 2, points: 1 },
      dailyCapPoints: 3_000,
    },
    zone.context.clock.now(),
  );
  await openAccount(ledger, chiyoda, 'resident', MYKEY, zone.context.clock.now());
});
afterAll(async () => {
  await zone?.close();
});

describe('partner exchanges (地域経済応援ポイント)', () => {
  it('converts at the rate, rounded down, once however often the same exchange is sent', async () => {
    const body = exchange(1_001);
    const first = await call(body);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ partnerPoints: 1_001, points: 500 });
    const again = await call(body);
    expect(again.statusCode).toBe(200);
    expect(await balance()).toBe(500);
  });

  it.each([
    ['signed by another key', () => call(exchange(100), { key: generateKeyPairSync('ed25519').privateKey })],
    [
      'a body changed after signing',
      () => call(exchange(100), { tamper: (text) => text.replace('100', '900') }),
    ],
    ['a timestamp ten minutes old', () => call(exchange(100), { timestamp: Date.now() - 600_000 })],
  ])('refuses a call %s (401), converting nothing', async (_, send) => {
    const before = await balance();
    const response = await send();
    expect(response.statusCode).toBe(401);
    expect(response.json().type).toBe('/problems/signature-invalid');
    expect(await balance()).toBe(before);
  });

  it('refuses a call without signature headers', async () => {
    const response = await zone.app.inject({
      method: 'POST',
      url: PATH,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(exchange(10)),
    });
    expect(response.statusCode).toBe(401);
  });

  it("does not know the partner under another municipality's path", async () => {
    const other = '/api/v1/municipalities/011002/points/partners/sky-air/exchanges';
    const response = await call(exchange(100), { path: other });
    expect(response.statusCode).toBe(404);
  });

  it.each([
    ['a negative amount', { partnerPoints: -10 }, 400, 'validation-failed'],
    ['a fractional amount', { partnerPoints: 10.5 }, 400, 'validation-failed'],
    ['too few to make one point', { partnerPoints: 1 }, 400, 'validation-failed'],
    ['an unknown MyKey ID', { myKeyId: 'MKZZZZZZZZZZZZ' }, 404, 'not-found'],
    ['an extra field', { note: 'x' }, 400, 'validation-failed'],
  ])('refuses %s with a problem, converting nothing', async (_, change, status, type) => {
    const before = await balance();
    const response = await call({ ...exchange(100), ...change });
    expect(response.statusCode, response.body).toBe(status);
    expect(response.json().type).toBe(`/problems/${type}`);
    expect(await balance()).toBe(before);
  });

  it('holds the daily cap per resident, and invoices the partner for what it converted', async () => {
    await call(exchange(4_000)); // 2,000 points: 2,500 today
    const over = await call(exchange(2_000)); // 1,000 more would be 3,500
    expect(over.statusCode).toBe(409);
    expect(over.json().type).toBe('/problems/exchange-cap-reached');
    expect(await balance()).toBe(2_500);
    const month = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 7);
    const invoice = await partnerInvoice(
      zone.context.database.db as unknown as PartnersDb,
      chiyoda,
      'sky-air',
      month,
    );
    expect(invoice).toMatchObject({ exchanges: 2, partnerPoints: 5_001, points: 2_500, amountYen: 2_500 });
    expect((await balanceOf(ledger, chiyoda, accountId('partner', 'sky-air'))).posted).toBe(-2_500);
    const result = await reconcileLedger(ledger, chiyoda);
    expect(result.mismatches).toEqual([]);
    expect(result.sum).toBe(0);
  });
});
