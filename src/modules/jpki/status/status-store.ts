import { type Database, fixedQuery } from '../../../core/index.ts';
import type { CertificateStatusRecord } from '../issuance/publish.ts';
import type { CertificateKind } from '../pki/authority.ts';
import type { JpkiStatusDb } from './tables.ts';

const statusDb = (database: Database) => database.db as JpkiStatusDb;

/**
 * Stores a published status unless a newer version is already here: gateway messages
 * may arrive out of order or twice, and a revocation must never be undone by a late
 * "issued" message.
 */
export async function storeStatus(db: JpkiStatusDb, record: CertificateStatusRecord): Promise<void> {
  const values = {
    municipality_code: record.municipalityCode,
    serial_number: record.serialNumber,
    kind: record.kind,
    not_after: record.notAfter,
    revoked_at: record.revokedAt,
    revocation_reason: record.reason,
    subject_id: record.subjectId,
    version: record.version,
  };
  await db
    .insertInto('jpki_status')
    .values(values)
    .onConflict((conflict) =>
      conflict
        .columns(['municipality_code', 'serial_number'])
        .doUpdateSet(values)
        .where('jpki_status.version', '<', record.version),
    )
    .execute();
}

export interface KnownCertificate {
  readonly municipalityCode: string;
  readonly kind: CertificateKind;
  readonly revokedAt: Date | null;
  readonly reason: string | null;
  readonly subjectId: string | null;
}

const bySerial = fixedQuery('jpki_status_by_serial', (db: JpkiStatusDb, serialNumber: string) =>
  db
    .selectFrom('jpki_status')
    .select(['municipality_code', 'kind', 'revoked_at', 'revocation_reason', 'subject_id'])
    .where('serial_number', '=', serialNumber),
);

/** What this zone knows of a serial: undefined when it was never published here ("unknown"). */
export async function findCertificate(
  database: Database,
  serialNumber: string,
): Promise<KnownCertificate | undefined> {
  const [row] = await bySerial(database, serialNumber);
  if (!row) return undefined;
  return {
    municipalityCode: row.municipality_code,
    kind: row.kind,
    revokedAt: row.revoked_at ? new Date(row.revoked_at) : null,
    reason: row.revocation_reason,
    subjectId: row.subject_id,
  };
}

export async function storeCrl(
  db: JpkiStatusDb,
  crl: { kind: CertificateKind; crlNumber: number; der: Uint8Array; thisUpdate: string; nextUpdate: string },
): Promise<void> {
  const values = {
    kind: crl.kind,
    crl_number: crl.crlNumber,
    der: crl.der,
    this_update: crl.thisUpdate,
    next_update: crl.nextUpdate,
  };
  await db
    .insertInto('jpki_crls_received')
    .values(values)
    .onConflict((conflict) =>
      conflict.column('kind').doUpdateSet(values).where('jpki_crls_received.crl_number', '<', crl.crlNumber),
    )
    .execute();
}

export async function receivedCrl(
  database: Database,
  kind: CertificateKind,
): Promise<Uint8Array | undefined> {
  const row = await statusDb(database)
    .selectFrom('jpki_crls_received')
    .select('der')
    .where('kind', '=', kind)
    .executeTakeFirst();
  return row ? new Uint8Array(row.der) : undefined;
}
