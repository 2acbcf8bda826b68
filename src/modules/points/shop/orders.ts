import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { MachiError, type TenantScope } from '../../../core/index.ts';
import { accountId } from '../ledger/accounts.ts';
import { inTransaction, type LedgerContext, postTransfer } from '../ledger/post-transfer.ts';
import { settlePending } from '../ledger/settle-pending.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';

interface ProductsTable {
  municipality_code: string;
  product_id: string;
  merchant_id: string;
  name_ja: string;
  name_en: string;
  price_points: number;
  stock: number;
  active: boolean;
  created_at: Date;
}

export interface OrdersTable {
  municipality_code: string;
  account_id: string;
  order_id: string;
  ref: string;
  merchant_id: string;
  state: 'reserved' | 'confirmed' | 'cancelled' | 'expired';
  total_points: number;
  items: string;
  transfer_id: string;
  request_sha256: string;
  created_at: Date;
  updated_at: Date;
}

export type ShopDb = Kysely<
  PointsLedgerTables & { points_products: ProductsTable; points_orders: OrdersTable }
>;

export interface NewProduct {
  readonly productId: string;
  readonly merchantId: string;
  readonly name: { readonly ja: string; readonly en: string };
  readonly pricePoints: number;
  readonly stock: number;
}

export interface OrderRequest {
  /** Chosen by the resident's app: the same order sent again places it once. */
  readonly orderId: string;
  readonly myKeyId: string;
  readonly items: readonly { readonly productId: string; readonly quantity: number }[];
}

export interface Order {
  readonly orderId: string;
  readonly ref: string;
  readonly state: OrdersTable['state'];
  readonly totalPoints: number;
  readonly items: readonly { productId: string; quantity: number; pricePoints: number }[];
  readonly repeated: boolean;
}

/** How long points are held for an order the seller has not confirmed. */
export const ORDER_HOLD_SECONDS = 3 * 24 * 3600;
const ORDER_ID = /^[A-Za-z0-9-]{8,64}$/;
const invalid = (detail: string) => new MachiError('validation-failed', detail);

export async function addProduct(
  db: ShopDb,
  scope: TenantScope,
  product: NewProduct,
  now: Date,
): Promise<void> {
  if (!/^[a-z0-9-]{1,40}$/.test(product.productId)) throw invalid('productId is 1–40 of a–z, 0–9 and -.');
  if (!Number.isSafeInteger(product.pricePoints) || product.pricePoints <= 0)
    throw invalid('The price is whole points > 0.');
  if (!Number.isSafeInteger(product.stock) || product.stock < 0)
    throw invalid('The stock is a whole number ≥ 0.');
  await db
    .insertInto('points_products')
    .values({
      municipality_code: scope.municipalityCode,
      product_id: product.productId,
      merchant_id: product.merchantId,
      name_ja: product.name.ja,
      name_en: product.name.en,
      price_points: product.pricePoints,
      stock: product.stock,
      active: true,
      created_at: now,
    })
    .execute();
}

export function orderOf(row: OrdersTable, repeated: boolean): Order {
  return {
    orderId: row.order_id,
    ref: row.ref,
    state: row.state,
    totalPoints: row.total_points,
    items: typeof row.items === 'string' ? JSON.parse(row.items) : row.items,
    repeated,
  };
}

const fingerprint = (request: OrderRequest) =>
  createHash('sha256')
    .update(JSON.stringify(request.items.map((item) => [item.productId, item.quantity])))
    .digest('hex');

/**
 * Places an order: the products locked in id order (two orders cannot deadlock), each active,
 * from one seller and in stock; the stock taken; the total held from the resident's points
 * by a pending transfer to the seller — all in one transaction, so an order refused for want
 * of points takes no stock, and stock never goes below zero however many buy at once.
 */
export async function placeOrder(
  db: ShopDb,
  context: LedgerContext,
  scope: TenantScope,
  request: OrderRequest,
): Promise<Order> {
  if (!ORDER_ID.test(request.orderId)) throw invalid('orderId is 8–64 of A–Z, a–z, 0–9 and -.');
  if (request.items.length === 0 || request.items.length > 20) throw invalid('An order has 1–20 lines.');
  for (const item of request.items) {
    if (!Number.isSafeInteger(item.quantity) || item.quantity < 1 || item.quantity > 99)
      throw invalid('A quantity is 1–99.');
  }
  const ids = [...new Set(request.items.map((item) => item.productId))].sort();
  if (ids.length !== request.items.length) throw invalid('Each product appears once in an order.');
  const account = accountId('resident', request.myKeyId);
  const sha256 = fingerprint(request);
  const now = context.clock.now();
  return db.transaction().execute(async (trx) => {
    const earlier = await trx
      .selectFrom('points_orders')
      .selectAll()
      .where('municipality_code', '=', scope.municipalityCode)
      .where('account_id', '=', account)
      .where('order_id', '=', request.orderId)
      .executeTakeFirst();
    if (earlier) {
      if (earlier.request_sha256 !== sha256)
        throw new MachiError('conflict', 'This order id was used for another order.');
      return orderOf(earlier, true);
    }
    const products = await trx
      .selectFrom('points_products')
      .selectAll()
      .where('municipality_code', '=', scope.municipalityCode)
      .where('product_id', 'in', ids)
      .orderBy('product_id')
      .forUpdate()
      .execute();
    if (products.length !== ids.length || products.some((product) => !product.active)) {
      throw new MachiError('not-found', 'A product in the order is not sold here.');
    }
    const sellers = new Set(products.map((product) => product.merchant_id));
    if (sellers.size !== 1) throw invalid('One order buys from one seller.');
    const lines = request.items.map((item) => {
      const product = products.find((one) => one.product_id === item.productId) as ProductsTable;
      if (product.stock < item.quantity)
        throw new MachiError('conflict', `Only ${product.stock} of ${product.product_id} left.`);
      return { productId: item.productId, quantity: item.quantity, pricePoints: product.price_points };
    });
    for (const line of lines) {
      await trx
        .updateTable('points_products')
        .set((eb) => ({ stock: eb('stock', '-', line.quantity) }))
        .where('municipality_code', '=', scope.municipalityCode)
        .where('product_id', '=', line.productId)
        .execute();
    }
    const total = lines.reduce((sum, line) => sum + line.quantity * line.pricePoints, 0);
    const merchantId = products[0]!.merchant_id;
    const transferId = `order:${request.myKeyId}:${request.orderId}`;
    await postTransfer(
      trx as unknown as Kysely<PointsLedgerTables>,
      context,
      scope,
      {
        transferId,
        code: 'order',
        legs: [{ debit: account, credit: accountId('merchant', merchantId), amount: total }],
        details: { merchant: merchantId },
        pending: { timeoutSeconds: ORDER_HOLD_SECONDS },
      },
      account,
    );
    const row = {
      municipality_code: scope.municipalityCode,
      account_id: account,
      order_id: request.orderId,
      ref: createHash('sha256').update(transferId).digest('hex').slice(0, 16),
      merchant_id: merchantId,
      state: 'reserved' as const,
      total_points: total,
      items: JSON.stringify(lines),
      transfer_id: transferId,
      request_sha256: sha256,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('points_orders').values(row).execute();
    return orderOf(row, false);
  });
}

/** Puts an order's stock back (it was cancelled or left too long). */
async function restock(trx: ShopDb, scope: TenantScope, order: OrdersTable) {
  const lines = (typeof order.items === 'string' ? JSON.parse(order.items) : order.items) as Order['items'];
  for (const line of [...lines].sort((a, b) => (a.productId < b.productId ? -1 : 1))) {
    await trx
      .updateTable('points_products')
      .set((eb) => ({ stock: eb('stock', '+', line.quantity) }))
      .where('municipality_code', '=', scope.municipalityCode)
      .where('product_id', '=', line.productId)
      .execute();
  }
}

/**
 * Ends a reserved order: `confirm` (the seller ships it: the points are posted) or `cancel`
 * (the buyer or seller: the points and stock go back). An order left past its hold is
 * expired instead, its stock returned, and `reservation-expired` answered.
 */
export async function endOrder(
  db: ShopDb,
  context: LedgerContext,
  scope: TenantScope,
  where: { ref: string; merchantId?: string; account?: string },
  action: 'confirm' | 'cancel',
  actor: string,
): Promise<Order> {
  let expired = false;
  const order = await inTransaction(db as unknown as Kysely<PointsLedgerTables>, async (ledgerTrx) => {
    const trx = ledgerTrx as unknown as ShopDb;
    let query = trx
      .selectFrom('points_orders')
      .selectAll()
      .where('municipality_code', '=', scope.municipalityCode)
      .where('ref', '=', where.ref);
    if (where.merchantId) query = query.where('merchant_id', '=', where.merchantId);
    if (where.account) query = query.where('account_id', '=', where.account);
    const row = await query.forUpdate().executeTakeFirst();
    if (!row) throw new MachiError('not-found', 'No such order.');
    const wanted = action === 'confirm' ? 'confirmed' : 'cancelled';
    if (row.state === wanted) return orderOf(row, true);
    if (row.state !== 'reserved') throw new MachiError('conflict', `The order is already ${row.state}.`);
    let state: OrdersTable['state'] = wanted;
    try {
      const transfer = await settlePending(
        ledgerTrx,
        context,
        scope,
        row.transfer_id,
        action === 'confirm' ? 'post' : 'void',
        actor,
      );
      // The ledger's own job may have ended the hold already: the order then expired too.
      if (transfer.state === 'expired') state = 'expired';
    } catch (error) {
      if ((error as MachiError).code !== 'reservation-expired') throw error;
      state = 'expired';
    }
    if (state !== 'confirmed') await restock(trx, scope, row);
    const updated = await trx
      .updateTable('points_orders')
      .set({ state, updated_at: context.clock.now() })
      .where('municipality_code', '=', scope.municipalityCode)
      .where('account_id', '=', row.account_id)
      .where('order_id', '=', row.order_id)
      .returningAll()
      .executeTakeFirstOrThrow();
    expired = state === 'expired';
    return orderOf(updated, false);
  });
  if (expired)
    throw new MachiError(
      'reservation-expired',
      'The order was left too long: its points and stock went back.',
    );
  return order;
}

/** The job: reserved orders whose hold has run out are expired, their points and stock returned. */
export async function expireOrders(db: ShopDb, context: LedgerContext, scope: TenantScope): Promise<number> {
  const due = await sql<{ ref: string }>`
    select o.ref from points_orders o join points_transfers t
      on t.municipality_code = o.municipality_code and t.transfer_id = o.transfer_id
    where o.municipality_code = ${scope.municipalityCode} and o.state = 'reserved'
      and (t.state in ('expired', 'voided') or t.timeout_at <= ${context.clock.now()})`.execute(db);
  for (const { ref } of due.rows) {
    await endOrder(db, context, scope, { ref }, 'cancel', 'system').catch((error: MachiError) => {
      if (error.code !== 'reservation-expired') throw error;
    });
  }
  return due.rows.length;
}
