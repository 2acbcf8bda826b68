import { CompiledQuery } from 'kysely';
import { coalescedReads, type Database, MachiError, onePer } from '../../../core/index.ts';

/** A filing as a repeat of it (the same resident, the same idempotency key) finds it. */
export interface EarlierFiling {
  readonly submission_id: string;
  readonly receipt_number: string;
  readonly submitted_at: Date;
  readonly document_sha256: string;
}

interface Key {
  readonly submittedBy: string;
  /** In lower case, as PostgreSQL writes a uuid. */
  readonly idempotencyKey: string;
}

const FILINGS_BY_KEY = `
  select s.submitted_by, s.idempotency_key::text as idempotency_key, s.submission_id,
    s.receipt_number, s.submitted_at, s.document_sha256
  from unnest($1::text[], $2::uuid[]) as k(submitted_by, idempotency_key)
  join procedure_submissions s on s.submitted_by = k.submitted_by and s.idempotency_key = k.idempotency_key`;

const idOf = (key: Key) => `${key.submittedBy}\n${key.idempotencyKey}`;

/**
 * The filings of the moment's keys, read together (coalescedReads): every filing first asks
 * whether it was filed already, and one statement a filing made those lookups most of the
 * zone's statements at 500 filings a second.
 */
const reader = onePer((database: Database) =>
  coalescedReads<Key, EarlierFiling & { submitted_by: string; idempotency_key: string }>({
    idOf,
    read: async (keys) => {
      const rows = await database.prepared<EarlierFiling & { submitted_by: string; idempotency_key: string }>(
        'procedures_filings_by_key',
        CompiledQuery.raw(FILINGS_BY_KEY, [
          keys.map((k) => k.submittedBy),
          keys.map((k) => k.idempotencyKey),
        ]),
      );
      return new Map(
        rows.map((row) => [
          idOf({ submittedBy: row.submitted_by, idempotencyKey: row.idempotency_key }),
          row,
        ]),
      );
    },
  }),
);

/** Only the form PostgreSQL writes: a key it reads another way would not be found again by its text. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The resident's filing under this idempotency key, if there is one. */
export function earlierFiling(
  database: Database,
  submittedBy: string,
  idempotencyKey: string,
): Promise<EarlierFiling | undefined> {
  // Checked here, not only by the route: one key PostgreSQL refuses would fail its whole group.
  if (!UUID.test(idempotencyKey)) {
    return Promise.reject(new MachiError('validation-failed', 'The idempotency key must be a UUID.'));
  }
  return reader(database)({ submittedBy, idempotencyKey: idempotencyKey.toLowerCase() });
}
