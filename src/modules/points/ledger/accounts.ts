import { type Kysely, sql } from 'kysely';
import { MachiError, type TenantScope } from '../../../core/index.ts';
import type { PointsLedgerTables } from './tables.ts';

/**
 * Kinds of account and the rules each keeps. Residents', merchants' and the public premium
 * budget's balances can never go below zero; residents' points carry expiry dates. The
 * issuance accounts are where new points come from (earning programmes, purchases, partners'
 * exchanges): their balance runs negative by exactly the points they have issued, so the
 * ledger always sums to zero.
 */
export const accountKinds = {
  resident: { noOverdraft: true, tracksExpiry: true },
  merchant: { noOverdraft: true, tracksExpiry: false },
  /** The public money for premium points (プレミアム分): funded by staff, never overspent. */
  budget: { noOverdraft: true, tracksExpiry: false },
  /** A partner company's account: converted points are owed by it, then invoiced. */
  partner: { noOverdraft: false, tracksExpiry: false },
  issuance: { noOverdraft: false, tracksExpiry: false },
  /** Points that expired unused. */
  expired: { noOverdraft: false, tracksExpiry: false },
  /** Points given to the municipality (寄附). */
  donations: { noOverdraft: false, tracksExpiry: false },
  /** Points paid out to merchants in yen at settlement. */
  settled: { noOverdraft: false, tracksExpiry: false },
  /** The municipality's settlement fees (加盟店手数料), kept from merchants' payouts. */
  fees: { noOverdraft: false, tracksExpiry: false },
} as const;

export type AccountKind = keyof typeof accountKinds;

const OWNER = /^[A-Za-z0-9._-]{1,64}$/;

/** `kind:owner`, e.g. `resident:MK7Q2…`, `merchant:m-0042`, `issuance:volunteering`. */
export function accountId(kind: AccountKind, owner: string): string {
  if (!OWNER.test(owner)) throw new MachiError('validation-failed', `Not a valid account owner: ${owner}`);
  return `${kind}:${owner}`;
}

export function kindOf(id: string): AccountKind | undefined {
  const kind = id.slice(0, id.indexOf(':'));
  return Object.hasOwn(accountKinds, kind) ? (kind as AccountKind) : undefined;
}

/** Opens an account if it is not open yet (safe to call again); returns its id. */
export async function openAccount(
  db: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  kind: AccountKind,
  owner: string,
  now: Date,
): Promise<string> {
  const id = accountId(kind, owner);
  const rules = accountKinds[kind];
  await db
    .insertInto('points_accounts')
    .values({
      municipality_code: scope.municipalityCode,
      account_id: id,
      kind,
      no_overdraft: rules.noOverdraft,
      tracks_expiry: rules.tracksExpiry,
      created_at: now,
    })
    .onConflict((conflict) => conflict.columns(['municipality_code', 'account_id']).doNothing())
    .execute();
  return id;
}

export interface Balance {
  readonly accountId: string;
  /** credits posted − debits posted. */
  readonly posted: number;
  /** What can be spent now: posted less what pending transfers hold. */
  readonly available: number;
  readonly pendingDebits: number;
  readonly pendingCredits: number;
}

export async function balanceOf(
  db: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  id: string,
): Promise<Balance> {
  const row = await db
    .selectFrom('points_accounts')
    .select(['debits_posted', 'credits_posted', 'debits_pending', 'credits_pending'])
    .where('municipality_code', '=', scope.municipalityCode)
    .where('account_id', '=', id)
    .executeTakeFirst();
  if (!row) throw new MachiError('not-found', `No points account ${id}.`);
  const posted = Number(row.credits_posted) - Number(row.debits_posted);
  return {
    accountId: id,
    posted,
    available: posted - Number(row.debits_pending),
    pendingDebits: Number(row.debits_pending),
    pendingCredits: Number(row.credits_pending),
  };
}

/**
 * Locks an account's row for the rest of the transaction, so that what is counted next (a
 * cap, expired lots, a balance to pay out) cannot change under the caller. False if no such account.
 */
export async function lockAccount(
  trx: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  id: string,
): Promise<boolean> {
  const locked = await sql`select 1 from points_accounts
    where municipality_code = ${scope.municipalityCode} and account_id = ${id} for update`.execute(trx);
  return locked.rows.length > 0;
}
