import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { LgCode } from '../../../core/index.ts';
import type { FormData } from './form-schema.ts';
import type { DraftsDb } from './tables.ts';

/** A draft is kept this long after its last save. */
export const DRAFT_DAYS = 30;
const DAY_MS = 86_400_000;

/** Whose draft of what: the municipality and the resident come from the session, never the form. */
export interface DraftKey {
  readonly municipalityCode: LgCode;
  readonly resident: string;
  readonly procedureId: string;
  /** The filing a correction (補正) answers; absent for a new filing. */
  readonly correctionOf?: string | undefined;
}

/** A sanitized upload attached to a draft: what the signed document names, and what the page shows. */
export interface DraftAttachment {
  readonly uploadId: string;
  readonly sha256: string;
  readonly mediaType: string;
  readonly bytes: number;
  readonly fileName: string;
  /** What the sanitizer took out (e.g. exif, gps), shown to the resident. */
  readonly removed: readonly string[];
}

export interface Draft {
  readonly data: FormData;
  readonly attachments: Readonly<Record<string, DraftAttachment>>;
  /** The exact bytes the confirmation page asks to sign, once it has been shown. */
  readonly document: Uint8Array | null;
  readonly idempotencyKey: string | null;
  readonly expiresAt: Date;
  /** When the registry's answer was put into it (once per draft), or null. */
  readonly prefilledAt: Date | null;
}

// biome-ignore lint/suspicious/noExplicitAny: the zone's database, of any tables.
type AnyDb = Kysely<any>;

const parsed = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);
const expiry = (now: Date) => new Date(now.getTime() + DRAFT_DAYS * DAY_MS);

function where(db: AnyDb, key: DraftKey) {
  return (db as DraftsDb)
    .selectFrom('procedure_drafts')
    .where('municipality_code', '=', key.municipalityCode)
    .where('resident', '=', key.resident)
    .where('procedure_id', '=', key.procedureId)
    .where('correction_of', '=', key.correctionOf ?? '');
}

/** The resident's draft, unless it has expired. */
export async function loadDraft(db: AnyDb, key: DraftKey, now: Date): Promise<Draft | undefined> {
  const row = await where(db, key)
    .select(['data', 'attachments', 'document', 'idempotency_key', 'expires_at', 'prefilled_at'])
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    data: parsed(row.data) as FormData,
    attachments: parsed(row.attachments) as Record<string, DraftAttachment>,
    document: row.document ? new Uint8Array(row.document) : null,
    idempotencyKey: row.idempotency_key,
    expiresAt: new Date(row.expires_at),
    prefilledAt: row.prefilled_at ? new Date(row.prefilled_at) : null,
  };
}

/**
 * Writes the draft's data and attachments. Anything changed makes the bytes to sign stale:
 * they are dropped, and the confirmation page makes new ones under a new idempotency key.
 */
export async function saveDraft(
  db: AnyDb,
  key: DraftKey,
  content: { data: FormData; attachments: Readonly<Record<string, DraftAttachment>> },
  now: Date,
): Promise<void> {
  const values = {
    data: JSON.stringify(content.data),
    attachments: JSON.stringify(content.attachments),
    document: null,
    idempotency_key: null,
    updated_at: now,
    expires_at: expiry(now),
  };
  // Expired drafts of the same resident go as they save another (the upkeep need not hurry),
  // first: a new draft in an expired one's place starts afresh, not prefilled.
  await (db as DraftsDb)
    .deleteFrom('procedure_drafts')
    .where('municipality_code', '=', key.municipalityCode)
    .where('resident', '=', key.resident)
    .where('expires_at', '<=', now)
    .execute();
  await (db as DraftsDb)
    .insertInto('procedure_drafts')
    .values({
      municipality_code: key.municipalityCode,
      resident: key.resident,
      procedure_id: key.procedureId,
      correction_of: key.correctionOf ?? '',
      ...values,
    })
    .onConflict((conflict) =>
      conflict
        .columns(['municipality_code', 'resident', 'procedure_id', 'correction_of'])
        .doUpdateSet(values),
    )
    .execute();
}

/**
 * Puts the registry's answer into the draft, once: `fill` gets the draft's data as it stands
 * (read under a row lock, so a step posted meanwhile is not lost) and returns it filled; the
 * draft is saved with `prefilled_at`. A draft already prefilled is left alone (undefined is
 * returned), so what the resident emptied afterwards stays empty. A draft that is not there
 * yet (or has expired) is started from `{}`.
 */
export async function prefillDraft(
  db: AnyDb,
  key: DraftKey,
  now: Date,
  fill: (data: FormData) => FormData,
): Promise<{ before: FormData; after: FormData } | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await where(trx, key)
      .select(['data', 'attachments', 'prefilled_at', 'expires_at'])
      .forUpdate()
      .executeTakeFirst();
    const live = row && new Date(row.expires_at) > now;
    if (live && row.prefilled_at) return undefined;
    const before = live ? (parsed(row.data) as FormData) : {};
    const after = fill(before);
    const attachments = live ? (parsed(row.attachments) as Record<string, DraftAttachment>) : {};
    await saveDraft(trx, key, { data: after, attachments }, now);
    await (trx as DraftsDb)
      .updateTable('procedure_drafts')
      .set({ prefilled_at: now })
      .where('municipality_code', '=', key.municipalityCode)
      .where('resident', '=', key.resident)
      .where('procedure_id', '=', key.procedureId)
      .where('correction_of', '=', key.correctionOf ?? '')
      .execute();
    return { before, after };
  });
}

/**
 * The bytes to sign and the filing's idempotency key: made once when the confirmation page
 * is first shown (`build` stamps filedAt), then the same until the draft changes, so a page
 * shown twice and a form posted twice are one filing.
 */
export async function documentToSign(
  db: AnyDb,
  key: DraftKey,
  now: Date,
  build: () => Uint8Array,
): Promise<{ document: Uint8Array; idempotencyKey: string }> {
  const drafts = db as DraftsDb;
  await drafts
    .updateTable('procedure_drafts')
    .set({ document: build(), idempotency_key: randomUUID(), updated_at: now, expires_at: expiry(now) })
    .where('municipality_code', '=', key.municipalityCode)
    .where('resident', '=', key.resident)
    .where('procedure_id', '=', key.procedureId)
    .where('correction_of', '=', key.correctionOf ?? '')
    .where('document', 'is', null)
    .execute();
  const row = await where(db, key).select(['document', 'idempotency_key']).executeTakeFirst();
  if (!row?.document || !row.idempotency_key)
    throw new Error('The draft went away while it was being signed.');
  return { document: new Uint8Array(row.document), idempotencyKey: row.idempotency_key };
}

/** Filed (or abandoned): the draft is no longer needed. */
export async function deleteDraft(db: AnyDb, key: DraftKey): Promise<void> {
  await (db as DraftsDb)
    .deleteFrom('procedure_drafts')
    .where('municipality_code', '=', key.municipalityCode)
    .where('resident', '=', key.resident)
    .where('procedure_id', '=', key.procedureId)
    .where('correction_of', '=', key.correctionOf ?? '')
    .execute();
}

/** Removes every draft past its 30 days (for a zone's periodic upkeep); returns how many. */
export async function pruneDrafts(db: AnyDb, now: Date): Promise<number> {
  const result = await (db as DraftsDb)
    .deleteFrom('procedure_drafts')
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
