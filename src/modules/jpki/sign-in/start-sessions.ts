import { randomUUID } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import { type Database, isLgCode, MachiError } from '../../../core/index.ts';
import { hashToken } from '../../identity/index.ts';
import { challengeUsed, type OpenedChallenge } from './challenge.ts';
import { pooledToken } from './random-tokens.ts';
import { parseCookie, RESIDENT_ABSOLUTE_MS, type ResidentPrincipal } from './resident-sessions.ts';
import type { ResidentSignInDb } from './tables.ts';

/** Most sign-ins one statement carries. */
const MAX_GROUP = 500;

/**
 * Least time from one group's statement to the next. A sign-in that finds the writer idle
 * for longer goes at once; under load, the sign-ins of these milliseconds share a statement
 * (and then one audit commit) instead of two or three each: every statement costs the
 * process a round trip to PostgreSQL (a write, a wake-up, a read) whatever its size.
 */
const MIN_SPACING_MS = 2;

/**
 * A sign-in's writes, for a group of sign-ins at once (one row of the arrays each), as one
 * statement: one round trip and one commit however many residents sign in together. For each
 * sign-in the card's row in jpki_status is read; only if it is an auth certificate of a known
 * holder, not revoked, is the challenge's nonce spent (a replay hits the primary key); only if
 * the nonce was spent is the session inserted; only if the session was inserted is the one the
 * browser brought ended. Each row says what happened to one sign-in, so that its caller can
 * refuse in the order the checks are meant to run. A group never holds the same nonce twice.
 */
const START_SQL = `
  with input as (
    select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::char(64)[], $5::uuid[],
      $6::text[], $7::timestamptz[], $8::timestamptz[], $9::char(6)[], $10::char(64)[])
      as t(auth_serial, nonce, nonce_expires_at, token_hash, session_id, csrf_token, created_at,
        expires_at, previous_code, previous_hash)
  ), known as (
    select i.*, s.municipality_code, s.kind, s.revoked_at, s.subject_id
    from input i left join jpki_status s on s.serial_number = i.auth_serial
  ), fit as (
    select * from known where kind = 'auth' and subject_id is not null and revoked_at is null
  ), spent as (
    insert into jpki_used_challenges (nonce, expires_at)
    select nonce, nonce_expires_at from fit
    on conflict (nonce) do nothing
    returning nonce
  ), started as (
    insert into resident_sessions (municipality_code, token_hash, session_id, subject_id, auth_serial,
      csrf_token, created_at, last_seen_at, expires_at)
    select f.municipality_code, f.token_hash, f.session_id, f.subject_id, f.auth_serial, f.csrf_token,
      f.created_at, f.created_at, f.expires_at
    from fit f join spent p on p.nonce = f.nonce
    returning session_id
  ), ended as (
    delete from resident_sessions r using input i, started s
    where s.session_id = i.session_id
      and r.municipality_code = i.previous_code and r.token_hash = i.previous_hash
  )
  select k.session_id, k.municipality_code, k.kind, k.revoked_at, k.subject_id,
    k.nonce in (select nonce from spent) as spent,
    k.session_id in (select session_id from started) as started
  from known k`;

interface StartRow {
  readonly session_id: string;
  readonly municipality_code: string | null;
  readonly kind: string | null;
  readonly revoked_at: Date | string | null;
  readonly subject_id: string | null;
  readonly spent: boolean;
  readonly started: boolean;
}

interface Attempt {
  readonly authSerial: string;
  readonly nonce: string;
  readonly nonceExpiresAt: Date;
  readonly tokenHash: string;
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly now: Date;
  readonly previous: { code: string; hash: string } | undefined;
  readonly resolve: (row: StartRow | undefined) => void;
  readonly reject: (error: unknown) => void;
}

type Starter = (attempt: Attempt) => void;
const starters = new WeakMap<Database, Starter>();

/**
 * Sign-ins that arrive while a group is being written wait and go together in the next
 * (group commit, as the audit log does): at a high rate a sign-in still costs the database
 * one statement, shared. Each caller waits for its own row.
 */
function starterFor(database: Database): Starter {
  let starter = starters.get(database);
  if (starter) return starter;
  let waiting: Attempt[] = [];
  let draining = false;
  let lastStart = Number.NEGATIVE_INFINITY;

  async function write(group: readonly Attempt[]): Promise<void> {
    try {
      const rows = await database.prepared<StartRow>(
        'jpki_sign_in_start_sessions',
        CompiledQuery.raw(START_SQL, [
          group.map((a) => a.authSerial),
          group.map((a) => a.nonce),
          // Times as ISO text (the same instants, to the millisecond): the driver's own Date
          // formatting, element by element, cost more than the rest of the parameters.
          group.map((a) => a.nonceExpiresAt.toISOString()),
          group.map((a) => a.tokenHash),
          group.map((a) => a.sessionId),
          group.map((a) => a.csrfToken),
          group.map((a) => a.now.toISOString()),
          group.map((a) => new Date(a.now.getTime() + RESIDENT_ABSOLUTE_MS).toISOString()),
          group.map((a) => a.previous?.code ?? null),
          group.map((a) => a.previous?.hash ?? null),
        ]),
      );
      const bySession = new Map(rows.map((row) => [row.session_id, row]));
      for (const attempt of group) attempt.resolve(bySession.get(attempt.sessionId));
    } catch (error) {
      for (const attempt of group) attempt.reject(error);
    }
  }

  async function drain(): Promise<void> {
    // Wait for the end of this turn of the event loop, so that the sign-ins whose requests
    // it read share the first statement (under load the loop reads several per turn).
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (waiting.length > 0) {
        const wait = lastStart + MIN_SPACING_MS - performance.now();
        if (wait > 0 && waiting.length < MAX_GROUP) {
          await new Promise<void>((resolve) => setTimeout(resolve, wait));
        }
        // A nonce twice in one group would read as spent for both: the second waits its turn
        // in the next group, where the primary key refuses it.
        const group: Attempt[] = [];
        const later: Attempt[] = [];
        const nonces = new Set<string>();
        for (const attempt of waiting) {
          if (group.length < MAX_GROUP && !nonces.has(attempt.nonce)) {
            nonces.add(attempt.nonce);
            group.push(attempt);
          } else {
            later.push(attempt);
          }
        }
        waiting = later;
        lastStart = performance.now();
        await write(group);
      }
    } finally {
      draining = false;
    }
  }

  starter = (attempt) => {
    waiting.push(attempt);
    if (!draining) {
      draining = true;
      void drain();
    }
  };
  starters.set(database, starter);
  return starter;
}

/**
 * Signs in the holder of the auth certificate `authSerial`, spending the challenge's nonce:
 * `certificate-status-unknown` unless this zone knows it as an auth certificate with a
 * holder, `certificate-revoked` if it was revoked (neither spends the challenge),
 * `challenge-invalid` if the nonce was spent already. Then a session with a fresh token,
 * ending the one the browser brought (rotation on sign-in: a token planted before sign-in
 * is worth nothing after it). One statement, shared with the sign-ins of the moment.
 */
export async function startResidentSession(
  database: Database,
  authSerial: string,
  challenge: OpenedChallenge,
  previousCookie: string | undefined,
  now: Date,
): Promise<{ cookieValue: string; principal: ResidentPrincipal }> {
  const token = pooledToken();
  const tokenHash = hashToken(token);
  const sessionId = randomUUID();
  const csrfToken = pooledToken();
  const previous = parseCookie(previousCookie);
  const row = await new Promise<StartRow | undefined>((resolve, reject) =>
    starterFor(database)({
      authSerial,
      nonce: challenge.nonce,
      nonceExpiresAt: challenge.expiresAt,
      tokenHash,
      sessionId,
      csrfToken,
      now,
      previous: previous && { code: previous.municipalityCode, hash: hashToken(previous.token) },
      resolve,
      reject,
    }),
  );
  if (row?.kind !== 'auth' || !row.subject_id || !row.municipality_code) {
    throw new MachiError('certificate-status-unknown', 'This card is not registered with this service yet.');
  }
  if (row.revoked_at) throw new MachiError('certificate-revoked');
  const municipalityCode = row.municipality_code;
  if (!isLgCode(municipalityCode)) {
    // Never published so (the gateway checks codes); this session's token was never given out.
    if (row.started) {
      await (database.db as ResidentSignInDb)
        .deleteFrom('resident_sessions')
        .where('municipality_code', '=', municipalityCode)
        .where('token_hash', '=', tokenHash)
        .execute();
    }
    throw new MachiError('certificate-status-unknown', 'This card is not registered with this service yet.');
  }
  if (!row.spent || !row.started) throw challengeUsed();
  return {
    cookieValue: `${municipalityCode}.${token}`,
    principal: { subjectId: row.subject_id, municipalityCode, authSerial, sessionId, csrfToken },
  };
}
