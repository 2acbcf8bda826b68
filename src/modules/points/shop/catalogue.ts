import type { TenantScope } from '../../../core/index.ts';
import { accountId } from '../ledger/accounts.ts';
import { type Order, type OrdersTable, orderOf, type ShopDb } from './orders.ts';

export interface Product {
  readonly productId: string;
  readonly merchantId: string;
  readonly name: { readonly ja: string; readonly en: string };
  readonly pricePoints: number;
  readonly stock: number;
}

/** What the municipality's online shop sells now: active products, in stock or not (sold out is shown). */
export async function productsOf(db: ShopDb, scope: TenantScope): Promise<Product[]> {
  const rows = await db
    .selectFrom('points_products')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('active', '=', true)
    .orderBy('merchant_id')
    .orderBy('product_id')
    .execute();
  return rows.map((row) => ({
    productId: row.product_id,
    merchantId: row.merchant_id,
    name: { ja: row.name_ja, en: row.name_en },
    pricePoints: row.price_points,
    stock: row.stock,
  }));
}

export interface PlacedOrder extends Omit<Order, 'repeated'> {
  readonly merchantId: string;
  readonly createdAt: Date;
}

/** A resident's orders, newest first. */
export async function ordersOf(
  db: ShopDb,
  scope: TenantScope,
  myKeyId: string,
  limit = 50,
): Promise<PlacedOrder[]> {
  const rows = await db
    .selectFrom('points_orders')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('account_id', '=', accountId('resident', myKeyId))
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(placedOrder);
}

function placedOrder(row: OrdersTable): PlacedOrder {
  const { repeated: _, ...order } = orderOf(row, false);
  return { ...order, merchantId: row.merchant_id, createdAt: row.created_at };
}

/** A seller's orders still held (to ship), oldest first: what its tablet lists. */
export async function ordersToShip(
  db: ShopDb,
  scope: TenantScope,
  merchantId: string,
): Promise<PlacedOrder[]> {
  const rows = await db
    .selectFrom('points_orders')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('merchant_id', '=', merchantId)
    .where('state', '=', 'reserved')
    .orderBy('created_at')
    .limit(200)
    .execute();
  return rows.map(placedOrder);
}
