import { createHash, createPublicKey } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { TenantScope } from '../../../core/index.ts';
import { checkPartner, type NewPartner } from '../partners/partners.ts';

interface AdminPartnersTable {
  municipality_code: string;
  partner_id: string;
  name: string;
  public_key: string;
  rate_partner_points: number;
  rate_points: number;
  daily_cap_points: number;
  active: boolean;
  revision: number;
  updated_at: Date;
  updated_by: string;
}

export type PartnersAdminDb = Kysely<{ points_admin_partners: AdminPartnersTable }>;

/** A partner as staff keep it: registerPartner's terms, whether it converts, and its revision. */
export interface AdminPartner extends NewPartner {
  readonly active: boolean;
  /** How many times staff saved it: the internet zone keeps only the newest. */
  readonly revision: number;
  readonly updatedAt: Date;
}

/** The SHA-256 of the key's SPKI, first 16 hex digits: what staff compare with the partner's own note. */
export function keyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256')
    .update(der)
    .digest('hex')
    .slice(0, 16)
    .replace(/(.{4})(?!$)/g, '$1:');
}

/**
 * Keeps a partner as staff saved it, checked as registerPartner will check it in the internet
 * zone (a key that is not Ed25519 is refused here, before anything is sent). Returns the saved
 * partner with its new revision.
 */
export async function savePartner(
  db: PartnersAdminDb,
  scope: TenantScope,
  partner: NewPartner & { readonly active: boolean },
  staffId: string,
  now: Date,
): Promise<AdminPartner> {
  checkPartner(partner);
  const row = {
    name: partner.name,
    public_key: partner.publicKeyPem,
    rate_partner_points: partner.rate.partnerPoints,
    rate_points: partner.rate.points,
    daily_cap_points: partner.dailyCapPoints,
    active: partner.active,
    updated_at: now,
    updated_by: staffId,
  };
  const saved = await db
    .insertInto('points_admin_partners')
    .values({ municipality_code: scope.municipalityCode, partner_id: partner.partnerId, revision: 1, ...row })
    .onConflict((conflict) =>
      conflict
        .columns(['municipality_code', 'partner_id'])
        .doUpdateSet((eb) => ({ ...row, revision: eb('points_admin_partners.revision', '+', 1) })),
    )
    .returning('revision')
    .executeTakeFirstOrThrow();
  return { ...partner, revision: saved.revision, updatedAt: now };
}

export async function adminPartners(db: PartnersAdminDb, scope: TenantScope): Promise<AdminPartner[]> {
  const rows = await db
    .selectFrom('points_admin_partners')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .orderBy('partner_id')
    .execute();
  return rows.map((row) => ({
    partnerId: row.partner_id,
    name: row.name,
    publicKeyPem: row.public_key,
    rate: { partnerPoints: row.rate_partner_points, points: row.rate_points },
    dailyCapPoints: row.daily_cap_points,
    active: row.active,
    revision: row.revision,
    updatedAt: row.updated_at,
  }));
}
