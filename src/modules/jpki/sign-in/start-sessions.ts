import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import {
  type AuditEntry,
  type AuditLog,
  type ChainAppend,
  type Database,
  groupWriter,
  isLgCode,
  isUniqueViolation,
  MachiError,
  onePer,
} from '../../../core/index.ts';
import { hashToken } from '../../identity/index.ts';
import {
  type CertificateHolder,
  certificateHolderOf,
  forgetCertificateHolder,
} from './certificate-holders.ts';
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
 * The columns each sign-in of a group brings to a statement, one array parameter each: one
 * statement however many residents sign in together.
 */
function inputOf(group: readonly Attempt[]) {
  // Times as ISO text (the same instants, to the millisecond): the driver's own Date
  // formatting, element by element, cost more than the rest of the parameters.
  return sql`unnest(
      ${group.map((a) => a.authSerial)}::text[],
      ${group.map((a) => a.nonce)}::text[],
      ${group.map((a) => a.nonceExpiresAt.toISOString())}::timestamptz[],
      ${group.map((a) => a.tokenHash)}::char(64)[],
      ${group.map((a) => a.sessionId)}::uuid[],
      ${group.map((a) => a.csrfToken)}::text[],
      ${group.map((a) => a.now.toISOString())}::timestamptz[],
      ${group.map((a) => new Date(a.now.getTime() + RESIDENT_ABSOLUTE_MS).toISOString())}::timestamptz[],
      ${group.map((a) => a.previous?.code ?? null)}::char(6)[],
      ${group.map((a) => a.previous?.hash ?? null)}::char(64)[],
      ${group.map((a) => a.holder.municipalityCode)}::char(6)[],
      ${group.map((a) => a.holder.subjectId)}::uuid[])
    as t(auth_serial, nonce, nonce_expires_at, token_hash, session_id, csrf_token, created_at,
      expires_at, previous_code, previous_hash, holder_code, holder_id)`;
}

/**
 * A group's sign-ins and their audit entries as one statement, one round trip and one commit:
 * each card's row in jpki_status must still name the holder the entries were written for, as
 * an auth certificate, not revoked; then every challenge's nonce is spent (a plain insert: a
 * nonce spent already refuses the whole statement), every session started, the sessions the
 * browsers brought ended, and the entries appended. If one card does not fit, nothing is
 * written and the statement says so; the group then goes the careful way (carefulStatement). The
 * chain's lock comes first, before any write: whoever holds it and waits for one of these
 * nonces (another process given the same answer) holds nothing this statement waits for.
 */
function fastStatement(group: readonly Attempt[], append: ChainAppend) {
  return sql<{ fits: boolean }>`
    with chain_lock as (select ${append.lock}),
    input as (select t.* from chain_lock, ${inputOf(group)}),
    verdict as (
      select bool_and(coalesce(s.kind = 'auth' and s.subject_id = i.holder_id
        and s.municipality_code = i.holder_code and s.revoked_at is null, false)) as fits
      from input i left join jpki_status s on s.serial_number = i.auth_serial
    ), spent as (
      insert into jpki_used_challenges (nonce, expires_at)
      select nonce, nonce_expires_at from input, verdict where fits
    ), started as (
      insert into resident_sessions (municipality_code, token_hash, session_id, subject_id, auth_serial,
        csrf_token, created_at, last_seen_at, expires_at)
      select holder_code, token_hash, session_id, holder_id, auth_serial, csrf_token, created_at,
        created_at, expires_at
      from input, verdict where fits
    ), ended as (
      delete from resident_sessions r using input i, verdict v
      where v.fits and r.municipality_code = i.previous_code and r.token_hash = i.previous_hash
    ), audited as (${append.insert(sql`(select fits from verdict)`)})
    select fits from verdict`;
}

/**
 * The careful way, for a group in which some sign-in is refused, in a transaction with the
 * audit entries of those that succeed. For each sign-in the card's row in jpki_status is
 * read; only if it is an auth certificate of a known holder, not revoked, is the challenge's
 * nonce spent (a replay hits the primary key); only if the nonce was spent is the session
 * inserted; only if the session was inserted is the one the browser brought ended. Each row
 * says what happened to one sign-in, so that its caller can refuse in the order the checks
 * are meant to run. A group never holds the same nonce twice.
 */
const carefulStatement = (group: readonly Attempt[]) => sql<StartRow>`
  with input as (select * from ${inputOf(group)}),
  known as (
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
  readonly holder: CertificateHolder;
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

/** The audit entry of a sign-in that started a session. */
function signInEntry(attempt: Attempt, holder: CertificateHolder): AuditEntry {
  return {
    municipalityCode: holder.municipalityCode,
    actor: `resident:${holder.subjectId}`,
    action: 'jpki.sign-in',
    target: attempt.authSerial,
    outcome: 'success',
    details: { sessionId: attempt.sessionId },
  };
}

type Starter = (attempt: Attempt) => void;

/**
 * Sign-ins that arrive while a group is being written wait and go together in the next
 * (group commit, as the audit log does): at a high rate a sign-in still costs the database
 * one statement, shared, with the audit entries in it. Each caller waits for its own row.
 * One starter per audit log (a zone has one, on its own database).
 */
const starterFor = onePer((audit: AuditLog, database: Database): Starter => {
  /** The group's sessions and entries in one statement; false if one card no longer fits. */
  async function writeFast(group: readonly Attempt[]): Promise<boolean> {
    const entries = group.map((attempt) => signInEntry(attempt, attempt.holder));
    return audit.appendWithin(entries, async (append) => {
      const [row] = await database.prepared(
        'jpki_sign_in_with_audit',
        fastStatement(group, append).compile(database.db),
      );
      const fits = row?.fits === true;
      return { result: fits, appended: fits };
    });
  }

  /** The careful way: each sign-in's own outcome, the entries of those that started with them. */
  async function writeCareful(group: readonly Attempt[]): Promise<StartRow[]> {
    return database.db.transaction().execute(async (trx) => {
      const { rows } = await carefulStatement(group).execute(trx);
      const bySession = new Map(rows.map((row) => [row.session_id, row]));
      const entries: AuditEntry[] = [];
      for (const attempt of group) {
        const row = bySession.get(attempt.sessionId);
        if (row?.started && row.subject_id && row.municipality_code && isLgCode(row.municipality_code)) {
          entries.push(
            signInEntry(attempt, { municipalityCode: row.municipality_code, subjectId: row.subject_id }),
          );
        }
      }
      await audit.appendMany(trx, entries);
      return rows;
    });
  }

  async function write(group: readonly Attempt[]): Promise<void> {
    try {
      let fits = false;
      try {
        fits = await writeFast(group);
      } catch (error) {
        // A nonce spent already, or another process moved the chain's head: nothing was written.
        if (!isUniqueViolation(error)) throw error;
      }
      if (fits) {
        for (const attempt of group) attempt.resolve(startedRow(attempt));
        return;
      }
      const bySession = new Map((await writeCareful(group)).map((row) => [row.session_id, row]));
      for (const attempt of group) {
        const row = bySession.get(attempt.sessionId);
        if (!row?.started) forgetCertificateHolder(database, attempt.authSerial);
        attempt.resolve(row);
      }
    } catch (error) {
      for (const attempt of group) attempt.reject(error);
    }
  }

  // A nonce twice in one group would read as spent for both: the second waits its turn in
  // the next group, where the primary key refuses it.
  function split(waiting: readonly Attempt[], maxGroup: number) {
    const group: Attempt[] = [];
    const later: Attempt[] = [];
    const nonces = new Set<string>();
    for (const attempt of waiting) {
      if (group.length < maxGroup && !nonces.has(attempt.nonce)) {
        nonces.add(attempt.nonce);
        group.push(attempt);
      } else {
        later.push(attempt);
      }
    }
    return { group, later };
  }

  return groupWriter(write, { maxGroup: MAX_GROUP, spacingMs: MIN_SPACING_MS, split });
});

function startedRow(attempt: Attempt): StartRow {
  return {
    session_id: attempt.sessionId,
    municipality_code: attempt.holder.municipalityCode,
    kind: 'auth',
    revoked_at: null,
    subject_id: attempt.holder.subjectId,
    spent: true,
    started: true,
  };
}

/**
 * Signs in the holder of the auth certificate `authSerial`, spending the challenge's nonce:
 * `certificate-status-unknown` unless this zone knows it as an auth certificate with a
 * holder, `certificate-revoked` if it was revoked (neither spends the challenge),
 * `challenge-invalid` if the nonce was spent already. Then a session with a fresh token,
 * ending the one the browser brought (rotation on sign-in: a token planted before sign-in
 * is worth nothing after it), and the sign-in's audit entry, committed with the session.
 * One statement, shared with the sign-ins of the moment.
 */
export async function startResidentSession(
  database: Database,
  audit: AuditLog,
  authSerial: string,
  challenge: OpenedChallenge,
  previousCookie: string | undefined,
  now: Date,
): Promise<{ cookieValue: string; principal: ResidentPrincipal }> {
  const holder = await certificateHolderOf(database, authSerial);
  const token = pooledToken();
  const tokenHash = hashToken(token);
  const sessionId = randomUUID();
  const csrfToken = pooledToken();
  const previous = parseCookie(previousCookie);
  const row = await new Promise<StartRow | undefined>((resolve, reject) =>
    starterFor(
      audit,
      database,
    )({
      authSerial,
      holder,
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
