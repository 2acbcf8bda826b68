import { CompiledQuery } from 'kysely';
import { coalescedReads, type Database, type LgCode, MachiError, onePer } from '../../../core/index.ts';
import { isCanonicalUuid } from '../uuid.ts';

/** A filing as a repeat of it (the same resident, the same idempotency key) finds it. */
export interface EarlierFiling {
  readonly submission_id: string;
  readonly receipt_number: string;
  /** ISO 8601, as JSON has it. */
  readonly submitted_at: string;
  readonly document_sha256: string;
}

/** What a filing needs to know before it is checked and kept. */
export interface BeforeFiling {
  /** The resident's filing under the same idempotency key, if there is one. */
  readonly earlier: EarlierFiling | undefined;
  /** Whether the municipality accepts the procedure online (it does unless turned off). */
  readonly offered: boolean;
}

interface Key {
  readonly submittedBy: string;
  /** In lower case, as PostgreSQL writes a uuid. */
  readonly idempotencyKey: string;
  readonly municipalityCode: string;
  readonly procedureId: string;
}

interface Row {
  readonly submitted_by: string;
  readonly idempotency_key: string;
  readonly municipality_code: string;
  readonly procedure_id: string;
  readonly earlier: EarlierFiling | null;
  readonly offered: boolean;
}

// The settings' rule as settings.ts has it: a procedure without a row is accepted.
const BEFORE_FILING = `
  select k.submitted_by, k.idempotency_key::text as idempotency_key, k.municipality_code,
    k.procedure_id, coalesce(ps.enabled, true) as offered,
    case when s.submission_id is not null then json_build_object('submission_id', s.submission_id,
      'receipt_number', s.receipt_number, 'submitted_at', s.submitted_at,
      'document_sha256', s.document_sha256) end as earlier
  from unnest($1::text[], $2::uuid[], $3::char(6)[], $4::text[])
    as k(submitted_by, idempotency_key, municipality_code, procedure_id)
  left join procedure_submissions s on s.submitted_by = k.submitted_by and s.idempotency_key = k.idempotency_key
  left join procedure_settings ps on ps.municipality_code = k.municipality_code and ps.procedure_id = k.procedure_id`;

const idOf = (key: Key) =>
  `${key.submittedBy}\n${key.idempotencyKey}\n${key.municipalityCode}\n${key.procedureId}`;

/**
 * What the filings of the moment need to know first, read together in one statement
 * (coalescedReads): whether each was filed already, and whether its procedure is offered.
 * As a statement each a filing, these two were most of the zone's statements at 500 filings a
 * second.
 */
const reader = onePer((database: Database) =>
  coalescedReads<Key, Row>({
    idOf,
    read: async (keys) => {
      const rows = await database.prepared<Row>(
        'procedures_before_filing',
        CompiledQuery.raw(BEFORE_FILING, [
          keys.map((k) => k.submittedBy),
          keys.map((k) => k.idempotencyKey),
          keys.map((k) => k.municipalityCode),
          keys.map((k) => k.procedureId),
        ]),
      );
      return new Map(
        rows.map((row) => [
          idOf({
            submittedBy: row.submitted_by,
            idempotencyKey: row.idempotency_key,
            municipalityCode: row.municipality_code,
            procedureId: row.procedure_id,
          }),
          row,
        ]),
      );
    },
  }),
);

export async function beforeFiling(
  database: Database,
  filing: {
    readonly submittedBy: string;
    readonly idempotencyKey: string;
    readonly municipalityCode: LgCode;
    readonly procedureId: string;
  },
): Promise<BeforeFiling> {
  // Checked here, not only by the route: one key PostgreSQL refuses would fail its whole group,
  // and one it reads another way would not be found again by its text.
  const idempotencyKey = filing.idempotencyKey.toLowerCase();
  if (!isCanonicalUuid(idempotencyKey)) {
    throw new MachiError('validation-failed', 'The idempotency key must be a UUID.');
  }
  const row = await reader(database)({ ...filing, idempotencyKey });
  // Every key has its row (left joins): none would be a fault of the statement, not of the filing.
  if (!row) throw new Error('the filing was not found among the keys read');
  const earlier = typeof row.earlier === 'string' ? (JSON.parse(row.earlier) as EarlierFiling) : row.earlier;
  return { earlier: earlier ?? undefined, offered: row.offered };
}
