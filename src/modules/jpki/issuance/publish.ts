import type { Database } from '../../../core/index.ts';
import type { CertificateKind } from '../pki/authority.ts';
import { issuerDb } from './issuer-context.ts';

/**
 * A certificate's status as the status responders (OCSP, sign-in) need it. For an auth
 * certificate it names the holder by the pseudonymous subject id: the only identity
 * that leaves the mynumber zone. A signing certificate names no one here (its basic
 * four are in the certificate itself, shown only to whom the holder gives it).
 */
export interface CertificateStatusRecord {
  readonly municipalityCode: string;
  readonly serialNumber: string;
  readonly kind: CertificateKind;
  readonly notAfter: string;
  readonly revokedAt: string | null;
  readonly reason: string | null;
  readonly subjectId: string | null;
  readonly version: number;
}

/** Status changes not yet acknowledged by lgwan, oldest serial first. */
export async function unpublishedStatuses(
  database: Database,
  limit = 100,
): Promise<CertificateStatusRecord[]> {
  const rows = await issuerDb(database)
    .selectFrom('jpki_certificates as c')
    .innerJoin('jpki_cards as k', (join) =>
      join.onRef('k.municipality_code', '=', 'c.municipality_code').onRef('k.card_id', '=', 'c.card_id'),
    )
    .innerJoin('jpki_subjects as s', (join) =>
      join.onRef('s.municipality_code', '=', 'k.municipality_code').onRef('s.person_id', '=', 'k.person_id'),
    )
    .select([
      'c.municipality_code',
      'c.serial_number',
      'c.kind',
      'c.not_after',
      'c.revoked_at',
      'c.revocation_reason',
      'c.version',
      's.subject_id',
    ])
    .whereRef('c.published_version', '<', 'c.version')
    .orderBy('c.serial_number')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    municipalityCode: row.municipality_code,
    serialNumber: row.serial_number,
    kind: row.kind,
    notAfter: new Date(row.not_after).toISOString(),
    revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
    reason: row.revocation_reason,
    subjectId: row.kind === 'auth' ? row.subject_id : null,
    version: row.version,
  }));
}

/** Records that lgwan acknowledged `version` of a certificate's status (a newer change stays pending). */
export async function markStatusPublished(
  database: Database,
  record: CertificateStatusRecord,
): Promise<void> {
  await issuerDb(database)
    .updateTable('jpki_certificates')
    .set({ published_version: record.version })
    .where('municipality_code', '=', record.municipalityCode)
    .where('serial_number', '=', record.serialNumber)
    .where('published_version', '<', record.version)
    .execute();
}

/** CRLs made since the last acknowledged push. */
export async function unpublishedCrls(database: Database) {
  const rows = await issuerDb(database)
    .selectFrom('jpki_crls')
    .select(['kind', 'crl_number', 'der', 'this_update', 'next_update'])
    .where('published', '=', false)
    .execute();
  return rows.map((row) => ({
    kind: row.kind,
    crlNumber: Number(row.crl_number),
    crl: Buffer.from(row.der).toString('base64'),
    thisUpdate: new Date(row.this_update).toISOString(),
    nextUpdate: new Date(row.next_update).toISOString(),
  }));
}

export async function markCrlPublished(
  database: Database,
  kind: CertificateKind,
  crlNumber: number,
): Promise<void> {
  await issuerDb(database)
    .updateTable('jpki_crls')
    .set({ published: true })
    .where('kind', '=', kind)
    .where('crl_number', '=', crlNumber)
    .execute();
}
