import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditMigrations,
  createAuditLog,
  type Database,
  fixedClock,
  migrate,
  parseLgCode,
  tenantScope,
} from '../../src/core/index.ts';
import {
  accountId,
  addProduct,
  balanceOf,
  donate,
  endOrder,
  expireOrders,
  expireReservations,
  type LedgerContext,
  type MerchantsDb,
  merchantMigrations,
  ORDER_HOLD_SECONDS,
  openAccount,
  type PointsLedgerDb,
  placeOrder,
  pointsLedgerMigrations,
  postTransfer,
  reconcileLedger,
  registerMerchant,
  type ShopDb,
  shopMigrations,
} from '../../src/modules/points/index.ts';
import { openTestDatabase } from '../support/database.ts';

const clock = fixedClock(new Date('2026-06-01T10:00:00+09:00'));
const chiyoda = tenantScope(parseLgCode('131016'));
let database: Database;
let ledger: PointsLedgerDb;
let shop: ShopDb;
let context: LedgerContext;
let serial = 0;

async function resident(points: number): Promise<string> {
  serial += 1;
  const myKeyId = `MK${serial}`;
  const grantId = `g-${serial}`;
  const id = await openAccount(ledger, chiyoda, 'resident', myKeyId, clock.now());
  await postTransfer(
    ledger,
    context,
    chiyoda,
    {
      transferId: grantId,
      code: 'earning',
      legs: [{ debit: accountId('issuance', 'earning'), credit: id, amount: points }],
    },
    'system',
  );
  return myKeyId;
}

const points = async (myKeyId: string) => balanceOf(ledger, chiyoda, accountId('resident', myKeyId));
async function stock(productId: string) {
  const row = await shop
    .selectFrom('points_products')
    .select('stock')
    .where('product_id', '=', productId)
    .executeTakeFirstOrThrow();
  return row.stock;
}
const orderId = () => `order-${randomUUID()}`;

beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db, [auditMigrations, pointsLedgerMigrations, merchantMigrations, shopMigrations]);
  ledger = database.db as unknown as PointsLedgerDb;
  shop = database.db as unknown as ShopDb;
  context = { audit: createAuditLog(database, clock), clock };
  await openAccount(ledger, chiyoda, 'issuance', 'earning', clock.now());
  const common = { cityLatin: 'CHIYODA', categoryCode: '5499', feeBasisPoints: 0 };
  await registerMerchant(
    database.db as MerchantsDb,
    chiyoda,
    { merchantId: 'm-farm', name: '千代田農園', nameLatin: 'FARM', ...common },
    clock.now(),
  );
  await registerMerchant(
    database.db as MerchantsDb,
    chiyoda,
    { merchantId: 'm-sake', name: '酒蔵', nameLatin: 'SAKE', ...common },
    clock.now(),
  );
  await addProduct(
    shop,
    chiyoda,
    {
      productId: 'rice-5kg',
      merchantId: 'm-farm',
      name: { ja: '千代田米 5kg', en: 'Rice 5 kg' },
      pricePoints: 3_000,
      stock: 3,
    },
    clock.now(),
  );
  await addProduct(
    shop,
    chiyoda,
    {
      productId: 'honey',
      merchantId: 'm-farm',
      name: { ja: 'はちみつ', en: 'Honey' },
      pricePoints: 1_200,
      stock: 50,
    },
    clock.now(),
  );
  await addProduct(
    shop,
    chiyoda,
    {
      productId: 'sake',
      merchantId: 'm-sake',
      name: { ja: '地酒', en: 'Local sake' },
      pricePoints: 2_500,
      stock: 10,
    },
    clock.now(),
  );
});
afterAll(async () => {
  await database?.close();
});

describe('the online shop of regional products', () => {
  it('holds the points when an order is placed and posts them when the seller confirms it', async () => {
    const buyer = await resident(10_000);
    const order = await placeOrder(shop, context, chiyoda, {
      orderId: orderId(),
      myKeyId: buyer,
      items: [{ productId: 'honey', quantity: 2 }],
    });
    expect(order).toMatchObject({ state: 'reserved', totalPoints: 2_400 });
    expect(await points(buyer)).toMatchObject({ posted: 10_000, available: 7_600 });
    expect(await stock('honey')).toBe(48);
    const confirmed = await endOrder(
      shop,
      context,
      chiyoda,
      { ref: order.ref, merchantId: 'm-farm' },
      'confirm',
      'merchant:m-farm',
    );
    expect(confirmed.state).toBe('confirmed');
    expect(await points(buyer)).toMatchObject({ posted: 7_600, available: 7_600 });
    expect((await balanceOf(ledger, chiyoda, accountId('merchant', 'm-farm'))).posted).toBe(2_400);
  });

  it('places the same order once, and refuses another order under its id', async () => {
    const buyer = await resident(10_000);
    const id = orderId();
    const first = await placeOrder(shop, context, chiyoda, {
      orderId: id,
      myKeyId: buyer,
      items: [{ productId: 'honey', quantity: 1 }],
    });
    const again = await placeOrder(shop, context, chiyoda, {
      orderId: id,
      myKeyId: buyer,
      items: [{ productId: 'honey', quantity: 1 }],
    });
    expect(again).toMatchObject({ ref: first.ref, repeated: true });
    await expect(
      placeOrder(shop, context, chiyoda, {
        orderId: id,
        myKeyId: buyer,
        items: [{ productId: 'honey', quantity: 3 }],
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect((await points(buyer)).available).toBe(8_800);
  });

  it('gives points and stock back when the buyer cancels; confirming then is a conflict', async () => {
    const buyer = await resident(10_000);
    const order = await placeOrder(shop, context, chiyoda, {
      orderId: orderId(),
      myKeyId: buyer,
      items: [{ productId: 'sake', quantity: 2 }],
    });
    expect(await stock('sake')).toBe(8);
    await endOrder(
      shop,
      context,
      chiyoda,
      { ref: order.ref, account: accountId('resident', buyer) },
      'cancel',
      buyer,
    );
    expect(await stock('sake')).toBe(10);
    expect(await points(buyer)).toMatchObject({ posted: 10_000, available: 10_000 });
    await expect(
      endOrder(shop, context, chiyoda, { ref: order.ref }, 'confirm', 'merchant:m-sake'),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('never sells more than the stock: 8 buyers at once for 3 bags of rice', async () => {
    const buyers = await Promise.all(Array.from({ length: 8 }, () => resident(5_000)));
    const outcomes = await Promise.allSettled(
      buyers.map((buyer, i) =>
        placeOrder(shop, context, chiyoda, {
          orderId: `rice-race-${i}`,
          myKeyId: buyer,
          items: [{ productId: 'rice-5kg', quantity: 1 }],
        }),
      ),
    );
    expect(outcomes.filter((one) => one.status === 'fulfilled')).toHaveLength(3);
    expect(await stock('rice-5kg')).toBe(0);
  });

  it('takes no stock for an order the points do not cover, and refuses two sellers in one order', async () => {
    const poor = await resident(1_000);
    await expect(
      placeOrder(shop, context, chiyoda, {
        orderId: orderId(),
        myKeyId: poor,
        items: [{ productId: 'honey', quantity: 1 }],
      }),
    ).rejects.toMatchObject({ code: 'points-insufficient' });
    expect(await stock('honey')).toBe(47);
    await expect(
      placeOrder(shop, context, chiyoda, {
        orderId: orderId(),
        myKeyId: poor,
        items: [
          { productId: 'honey', quantity: 1 },
          { productId: 'sake', quantity: 1 },
        ],
      }),
    ).rejects.toMatchObject({ code: 'validation-failed' });
    for (const quantity of [0, -1, 1.5, 100]) {
      await expect(
        placeOrder(shop, context, chiyoda, {
          orderId: orderId(),
          myKeyId: poor,
          items: [{ productId: 'honey', quantity }],
        }),
      ).rejects.toMatchObject({ code: 'validation-failed' });
    }
  });

  it('returns points and stock of an order left past its hold; confirming it is reservation-expired', async () => {
    const buyer = await resident(10_000);
    const late = await placeOrder(shop, context, chiyoda, {
      orderId: orderId(),
      myKeyId: buyer,
      items: [{ productId: 'honey', quantity: 1 }],
    });
    const left = await placeOrder(shop, context, chiyoda, {
      orderId: orderId(),
      myKeyId: buyer,
      items: [{ productId: 'honey', quantity: 2 }],
    });
    const before = await stock('honey');
    clock.advance((ORDER_HOLD_SECONDS + 1) * 1000);
    await expect(
      endOrder(shop, context, chiyoda, { ref: late.ref }, 'confirm', 'merchant:m-farm'),
    ).rejects.toMatchObject({
      code: 'reservation-expired',
    });
    expect(await stock('honey')).toBe(before + 1);
    // The job ends the one nobody ended (and any other order left past its hold).
    expect(await expireOrders(shop, context, chiyoda)).toBeGreaterThanOrEqual(1);
    const stateOf = async (ref: string) =>
      (
        await shop
          .selectFrom('points_orders')
          .select('state')
          .where('ref', '=', ref)
          .executeTakeFirstOrThrow()
      ).state;
    expect(await stateOf(late.ref)).toBe('expired');
    expect(await stateOf(left.ref)).toBe('expired');
    expect(await stock('honey')).toBeGreaterThanOrEqual(before + 3);
    expect(await points(buyer)).toMatchObject({ posted: 10_000, available: 10_000 });
    expect(await expireOrders(shop, context, chiyoda)).toBe(0);
  });

  it("ends an order as expired when the ledger's job returned its points first", async () => {
    const buyer = await resident(10_000);
    const order = await placeOrder(shop, context, chiyoda, {
      orderId: orderId(),
      myKeyId: buyer,
      items: [{ productId: 'sake', quantity: 1 }],
    });
    const before = await stock('sake');
    clock.advance((ORDER_HOLD_SECONDS + 1) * 1000);
    await expireReservations(ledger, context);
    await expireOrders(shop, context, chiyoda);
    const row = await shop
      .selectFrom('points_orders')
      .select('state')
      .where('ref', '=', order.ref)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('expired');
    expect(await stock('sake')).toBe(before + 1);
    expect(await points(buyer)).toMatchObject({ posted: 10_000, available: 10_000 });
  });

  it('takes donations (寄附) once per donation id, and the ledger reconciles', async () => {
    const giver = await resident(3_000);
    await donate(ledger, context, chiyoda, { myKeyId: giver, donationId: 'donation-0001', amount: 1_000 });
    const again = await donate(ledger, context, chiyoda, {
      myKeyId: giver,
      donationId: 'donation-0001',
      amount: 1_000,
    });
    expect(again.repeated).toBe(true);
    await expect(
      donate(ledger, context, chiyoda, { myKeyId: giver, donationId: 'donation-0002', amount: 5_000 }),
    ).rejects.toMatchObject({
      code: 'points-insufficient',
    });
    expect((await points(giver)).posted).toBe(2_000);
    expect((await balanceOf(ledger, chiyoda, accountId('donations', 'municipality'))).posted).toBe(1_000);
    const result = await reconcileLedger(ledger, chiyoda);
    expect(result.mismatches).toEqual([]);
    expect(result.sum).toBe(0);
  });
});
