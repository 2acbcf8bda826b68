import { sql } from 'kysely';
import type { CertificateKind } from '../pki/authority.ts';
import { createCrl, type RevocationReason } from '../pki/crl.ts';
import { type IssuerContext, issuerDb } from './issuer-context.ts';

const HOUR = 3_600_000;
/** A CRL promises the next one within a day (nextUpdate), and is remade well before that. */
export const CRL_VALIDITY_MS = 24 * HOUR;
const REMAKE_BEFORE_MS = 12 * HOUR;

/**
 * Makes a new full CRL for each issuing CA whose CRL is missing, stale (a revocation
 * since) or half-way to its nextUpdate. Revoked certificates stay listed until they
 * expire (RFC 5280 §3.3 allows dropping them after). Returns the kinds remade.
 */
export async function refreshCrls(context: IssuerContext): Promise<CertificateKind[]> {
  const db = issuerDb(context.database);
  const remade: CertificateKind[] = [];
  for (const kind of ['auth', 'signing'] as const) {
    const done = await db.transaction().execute(async (trx) => {
      // One maker at a time across processes: the row lock, or for the first CRL the key.
      await sql`select pg_advisory_xact_lock(hashtext(${`jpki_crl_${kind}`}))`.execute(trx);
      const now = context.clock.now();
      const current = await trx
        .selectFrom('jpki_crls')
        .selectAll()
        .where('kind', '=', kind)
        .executeTakeFirst();
      const due =
        !current ||
        current.stale ||
        new Date(current.next_update).getTime() - now.getTime() < REMAKE_BEFORE_MS;
      if (!due) return false;
      const revoked = await trx
        .selectFrom('jpki_certificates')
        .select(['serial_number', 'revoked_at', 'revocation_reason'])
        .where('kind', '=', kind)
        .where('revoked_at', 'is not', null)
        .where('not_after', '>', now)
        .orderBy('serial_number')
        .execute();
      const crlNumber = Number(current?.crl_number ?? 0) + 1;
      const crl = await createCrl(
        context.cas[kind],
        revoked.map((row) => ({
          serialNumber: row.serial_number,
          revokedAt: new Date(row.revoked_at!),
          reason: row.revocation_reason as RevocationReason,
        })),
        { thisUpdate: now, nextUpdate: new Date(now.getTime() + CRL_VALIDITY_MS), crlNumber },
      );
      const values = {
        kind,
        crl_number: crlNumber,
        der: new Uint8Array(crl.rawData),
        this_update: now,
        next_update: new Date(now.getTime() + CRL_VALIDITY_MS),
        stale: false,
        published: false,
      };
      await trx
        .insertInto('jpki_crls')
        .values(values)
        .onConflict((conflict) => conflict.column('kind').doUpdateSet(values))
        .execute();
      return true;
    });
    if (done) remade.push(kind);
  }
  return remade;
}

/** The current CRL of a CA as DER, or undefined before the first is made. */
export async function currentCrl(context: Pick<IssuerContext, 'database'>, kind: CertificateKind) {
  const row = await issuerDb(context.database)
    .selectFrom('jpki_crls')
    .select(['der', 'crl_number', 'this_update', 'next_update'])
    .where('kind', '=', kind)
    .executeTakeFirst();
  return row
    ? {
        der: new Uint8Array(row.der),
        crlNumber: Number(row.crl_number),
        thisUpdate: new Date(row.this_update),
        nextUpdate: new Date(row.next_update),
      }
    : undefined;
}
