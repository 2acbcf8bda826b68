import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type AuditLog, type Clock, type Database, type LgCode, MachiError } from '../../../core/index.ts';
import type { PrefillDb } from './tables.ts';

/** An answer is served this long after it arrived (a pending request is given as long to be answered). */
export const PREFILL_TTL_MS = 60 * 60_000;
/** A resident may ask the registry again this long after their last request, not sooner. */
export const PREFILL_INTERVAL_MS = 60_000;

/** Who asks: the signed-in resident's municipality and pseudonym (the auth certificate's subject id). */
export interface PrefillResident {
  readonly municipalityCode: LgCode;
  readonly subjectId: string;
}

/** The resident's own facts as the registry answered them (sex: ISO/IEC 5218). */
export interface PrefillPerson {
  readonly name: string;
  readonly nameKana: string;
  /** 7 digits, or null. */
  readonly postalCode: string | null;
  /** Whole, with 都道府県 and 市区町村. */
  readonly address: string;
  readonly birthDate: string;
  readonly sex: '1' | '2' | '9';
}

/** One member of the resident's 世帯; `relationship` is 続柄 to the head of household. */
export interface PrefillMember {
  readonly name: string;
  readonly nameKana: string;
  readonly birthDate: string;
  readonly sex: '1' | '2' | '9';
  readonly relationship: string;
}

/** The registry's answer, as the internet zone keeps it (no ids: the row says whose it is). */
export interface PrefillAnswer {
  /** false: no live card or not a current resident; nothing is filled. */
  readonly found: boolean;
  readonly person: PrefillPerson | null;
  readonly householdMembers: readonly PrefillMember[];
  /** The day the registry was read as of. */
  readonly asOf: string;
}

/** What goes inward (registry.prefill-request). */
export interface PrefillRequest {
  readonly requestId: string;
  readonly subjectId: string;
  readonly requestedAt: string;
}

export type PrefillState =
  | { readonly status: 'pending'; readonly requestedAt: Date }
  | ({ readonly status: 'ready'; readonly answeredAt: Date } & PrefillAnswer);

/** What the request needs from the zone (a ZoneContext fits). */
export interface PrefillContext {
  readonly database: Database;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

// biome-ignore lint/suspicious/noExplicitAny: a handler's transaction, of any tables.
type AnyDb = Kysely<any>;

const residentKey = (subjectId: string) => `resident:${subjectId}`;
const parsed = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

/**
 * Asks the registry for the resident's facts and household, as a workflow of two steps: a
 * pending row (replacing any earlier answer) with its audit entry, committed; then `send`
 * pushes the request inward. If the push fails, the step is undone — the row goes, so the
 * resident may try again at once — and the error is thrown. At most one request a minute
 * per resident (rate-limited otherwise): each one is a registry read in mynumber.
 */
export async function requestPrefill(
  context: PrefillContext,
  resident: PrefillResident,
  send: (request: PrefillRequest) => Promise<unknown>,
): Promise<{ requestId: string }> {
  const now = context.clock.now();
  const requestId = randomUUID();
  const key = { municipality_code: resident.municipalityCode, resident: residentKey(resident.subjectId) };
  const pending = {
    request_id: requestId,
    answer: null,
    requested_at: now,
    answered_at: null,
    expires_at: new Date(now.getTime() + PREFILL_TTL_MS),
  };
  const actor = residentKey(resident.subjectId);
  await context.database.db.transaction().execute(async (trx) => {
    const inserted = await (trx as PrefillDb)
      .insertInto('procedure_prefills')
      .values({ ...key, ...pending })
      .onConflict((conflict) =>
        conflict
          .columns(['municipality_code', 'resident'])
          .doUpdateSet(pending)
          // One statement decides, so two requests at once cannot both pass.
          .where('procedure_prefills.requested_at', '<=', new Date(now.getTime() - PREFILL_INTERVAL_MS)),
      )
      .returning('request_id')
      .executeTakeFirst();
    if (!inserted) {
      throw new MachiError('rate-limited', 'The registry was asked a moment ago; try again in a minute.', {
        retryAfterSeconds: PREFILL_INTERVAL_MS / 1000,
      });
    }
    await context.audit.append(trx, {
      municipalityCode: resident.municipalityCode,
      actor,
      action: 'procedures.prefill.request',
      target: requestId,
      outcome: 'success',
    });
  });
  try {
    await send({ requestId, subjectId: resident.subjectId, requestedAt: now.toISOString() });
  } catch (error) {
    await context.database.db.transaction().execute(async (trx) => {
      await (trx as PrefillDb)
        .deleteFrom('procedure_prefills')
        .where('municipality_code', '=', key.municipality_code)
        .where('resident', '=', key.resident)
        .where('request_id', '=', requestId)
        .execute();
      await context.audit.append(trx, {
        municipalityCode: resident.municipalityCode,
        actor,
        action: 'procedures.prefill.request',
        target: requestId,
        outcome: 'failure',
        details: { code: error instanceof MachiError ? error.code : 'internal' },
      });
    });
    throw error;
  }
  return { requestId };
}

/**
 * Keeps the registry's answer, inside the transaction that received it — only if it answers
 * the resident's pending request (an answer to an older request, or to one undone, is
 * dropped). Served for an hour from now. Returns whether it was kept.
 */
export async function storePrefillAnswer(
  db: AnyDb,
  resident: PrefillResident,
  requestId: string,
  answer: PrefillAnswer,
  now: Date,
): Promise<boolean> {
  const kept: PrefillAnswer = {
    found: answer.found,
    person: answer.person,
    householdMembers: answer.householdMembers,
    asOf: answer.asOf,
  };
  const result = await (db as PrefillDb)
    .updateTable('procedure_prefills')
    .set({
      answer: JSON.stringify(kept),
      answered_at: now,
      expires_at: new Date(now.getTime() + PREFILL_TTL_MS),
    })
    .where('municipality_code', '=', resident.municipalityCode)
    .where('resident', '=', residentKey(resident.subjectId))
    .where('request_id', '=', requestId)
    .where('answer', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The resident's prefill: pending, ready, or undefined (never asked, or expired). */
export async function readPrefill(
  db: AnyDb,
  resident: PrefillResident,
  now: Date,
): Promise<PrefillState | undefined> {
  const row = await (db as PrefillDb)
    .selectFrom('procedure_prefills')
    .select(['answer', 'requested_at', 'answered_at'])
    .where('municipality_code', '=', resident.municipalityCode)
    .where('resident', '=', residentKey(resident.subjectId))
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return undefined;
  const answer = parsed(row.answer) as PrefillAnswer | null;
  if (!answer || !row.answered_at) return { status: 'pending', requestedAt: new Date(row.requested_at) };
  return { status: 'ready', answeredAt: new Date(row.answered_at), ...answer };
}

/** Deletes every prefill past its hour (for the zone's upkeep); returns how many. */
export async function prunePrefills(db: AnyDb, now: Date): Promise<number> {
  const result = await (db as PrefillDb)
    .deleteFrom('procedure_prefills')
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
