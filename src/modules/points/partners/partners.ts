import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { MachiError, type TenantScope } from '../../../core/index.ts';
import { openAccount } from '../ledger/accounts.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';

export interface PartnersTable {
  municipality_code: string;
  partner_id: string;
  name: string;
  public_key: string;
  rate_partner_points: number;
  rate_points: number;
  daily_cap_points: number;
  active: boolean;
  created_at: Date;
}

export interface ExchangesTable {
  municipality_code: string;
  partner_id: string;
  exchange_id: string;
  account_id: string;
  partner_points: number;
  points: number;
  day: string;
  created_at: Date;
}

export type PartnersDb = Kysely<
  PointsLedgerTables & { points_partners: PartnersTable; points_exchanges: ExchangesTable }
>;

export interface Partner {
  readonly partnerId: string;
  readonly name: string;
  readonly publicKey: KeyObject;
  /** `partnerPoints` of the partner's points become `points` municipal points (rounded down). */
  readonly rate: { readonly partnerPoints: number; readonly points: number };
  /** The most one resident converts from this partner in one day (Japan time), in municipal points. */
  readonly dailyCapPoints: number;
  readonly active: boolean;
}

export interface NewPartner {
  readonly partnerId: string;
  readonly name: string;
  /** The partner's Ed25519 public key, PEM (SPKI). */
  readonly publicKeyPem: string;
  readonly rate: { readonly partnerPoints: number; readonly points: number };
  readonly dailyCapPoints: number;
  /** false stops its conversions (the partner is kept, with what it owes); true when left out. */
  readonly active?: boolean;
}

const PARTNER_ID = /^[a-z0-9-]{1,40}$/;

function ed25519(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new MachiError('encoding-invalid', "The partner's public key is not a PEM public key.", {
      field: 'publicKeyPem',
    });
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new MachiError('validation-failed', 'Partners sign with Ed25519 keys.', { field: 'publicKeyPem' });
  return key;
}

/**
 * What registerPartner requires of a partner, for a form to check before anything is sent
 * (lgwan's staff page). Each refusal names its `field` in the error's extensions.
 */
export function checkPartner(partner: NewPartner): void {
  const invalid = (detail: string, field: string) => new MachiError('validation-failed', detail, { field });
  if (!PARTNER_ID.test(partner.partnerId)) throw invalid('partnerId is 1–40 of a–z, 0–9 and -.', 'partnerId');
  if (partner.name.trim() === '' || partner.name.length > 100)
    throw invalid('name is 1–100 characters.', 'name');
  const whole = (n: number) => Number.isSafeInteger(n) && n > 0;
  if (!whole(partner.rate.partnerPoints) || !whole(partner.rate.points)) {
    throw invalid('The rate and the daily cap are whole numbers greater than zero.', 'rate');
  }
  if (!whole(partner.dailyCapPoints)) {
    throw invalid('The rate and the daily cap are whole numbers greater than zero.', 'dailyCapPoints');
  }
  ed25519(partner.publicKeyPem);
}

/** Registers a partner (or changes its name, key, rate, cap and whether it converts), with its points account. */
export async function registerPartner(db: PartnersDb, scope: TenantScope, partner: NewPartner, now: Date) {
  checkPartner(partner);
  const row = {
    name: partner.name,
    public_key: partner.publicKeyPem,
    rate_partner_points: partner.rate.partnerPoints,
    rate_points: partner.rate.points,
    daily_cap_points: partner.dailyCapPoints,
    active: partner.active ?? true,
  };
  await db
    .insertInto('points_partners')
    .values({
      municipality_code: scope.municipalityCode,
      partner_id: partner.partnerId,
      created_at: now,
      ...row,
    })
    .onConflict((conflict) => conflict.columns(['municipality_code', 'partner_id']).doUpdateSet(row))
    .execute();
  await openAccount(db as unknown as Kysely<PointsLedgerTables>, scope, 'partner', partner.partnerId, now);
}

/** The partner, or `not-found` (the same answer whether it never existed or is elsewhere). */
export async function partnerOf(db: PartnersDb, scope: TenantScope, partnerId: string): Promise<Partner> {
  const row = await db
    .selectFrom('points_partners')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('partner_id', '=', partnerId)
    .executeTakeFirst();
  if (!row) throw new MachiError('not-found', 'No such partner in this municipality.');
  return {
    partnerId: row.partner_id,
    name: row.name,
    publicKey: ed25519(row.public_key),
    rate: { partnerPoints: row.rate_partner_points, points: row.rate_points },
    dailyCapPoints: row.daily_cap_points,
    active: row.active,
  };
}
