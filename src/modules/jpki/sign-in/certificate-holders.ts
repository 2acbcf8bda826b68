import {
  coalescedReads,
  type Database,
  isLgCode,
  type LgCode,
  MachiError,
  onePer,
} from '../../../core/index.ts';
import type { JpkiStatusDb } from '../status/tables.ts';

/** Whom an auth certificate names, as this zone was told: its pseudonymous holder and their municipality. */
export interface CertificateHolder {
  readonly municipalityCode: LgCode;
  readonly subjectId: string;
}

/** Most holders one process remembers (~150 bytes each). */
const MAX_REMEMBERED = 200_000;

interface StatusRow {
  readonly serial_number: string;
  readonly municipality_code: string;
  readonly kind: string;
  readonly revoked_at: Date | string | null;
  readonly subject_id: string | null;
}

interface Holders {
  readonly remembered: Map<string, CertificateHolder>;
  readonly read: (serial: string) => Promise<StatusRow | undefined>;
}

const holdersOf = onePer(
  (database: Database): Holders => ({
    remembered: new Map(),
    read: coalescedReads<string, StatusRow>({
      idOf: (serial) => serial,
      async read(serials) {
        const rows = await (database.db as JpkiStatusDb)
          .selectFrom('jpki_status')
          .select(['serial_number', 'municipality_code', 'kind', 'revoked_at', 'subject_id'])
          .where('serial_number', 'in', serials)
          .execute();
        return new Map(rows.map((row) => [row.serial_number, row]));
      },
    }),
  }),
);

/**
 * The holder of the auth certificate `serial`: `certificate-status-unknown` unless this zone
 * knows it as an auth certificate with a holder in a valid municipality, `certificate-revoked`
 * if it was revoked. A holder once read is remembered: a certificate names the same holder
 * for its whole life, so a resident's next sign-in in this process reads nothing to build its
 * audit entry. Whoever relies on the answer checks it again where it writes (sign-in's
 * statement does, revocation included) and forgets it when it no longer holds.
 */
export async function certificateHolderOf(database: Database, serial: string): Promise<CertificateHolder> {
  const known = holdersOf(database);
  const remembered = known.remembered.get(serial);
  if (remembered) return remembered;
  const row = await known.read(serial);
  if (row?.kind !== 'auth' || !row.subject_id || !isLgCode(row.municipality_code)) {
    throw new MachiError('certificate-status-unknown', 'This card is not registered with this service yet.');
  }
  if (row.revoked_at) throw new MachiError('certificate-revoked');
  const holder = { municipalityCode: row.municipality_code, subjectId: row.subject_id };
  // Oldest first out (a Map keeps insertion order): a bound, not a policy worth more.
  if (known.remembered.size >= MAX_REMEMBERED) {
    known.remembered.delete(known.remembered.keys().next().value as string);
  }
  known.remembered.set(serial, holder);
  return holder;
}

/** Forgets what `certificateHolderOf` remembered of `serial` (it no longer held where it was checked). */
export function forgetCertificateHolder(database: Database, serial: string): void {
  holdersOf(database).remembered.delete(serial);
}
