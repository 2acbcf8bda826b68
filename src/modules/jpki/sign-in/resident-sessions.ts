import { randomUUID } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import {
  coalescedReads,
  type Database,
  groupWriter,
  isLgCode,
  type LgCode,
  onePer,
} from '../../../core/index.ts';
import { hashToken, randomToken } from '../../identity/index.ts';
import type { ResidentSignInDb } from './tables.ts';

export const RESIDENT_COOKIE = 'machi_resident';
/** A resident's session ends after 30 minutes idle or 8 hours in all (OWASP Session Management). */
export const RESIDENT_IDLE_MS = 30 * 60_000;
export const RESIDENT_ABSOLUTE_MS = 8 * 60 * 60_000;
const TOUCH_MS = 60_000;

/** The signed-in resident, as routes see them: a pseudonym, never a name or a number. */
export interface ResidentPrincipal {
  readonly subjectId: string;
  readonly municipalityCode: LgCode;
  readonly sessionId: string;
  readonly authSerial: string;
  readonly csrfToken: string;
}

const db = (database: Database) => database.db as ResidentSignInDb;

export function parseCookie(
  value: string | undefined,
): { municipalityCode: LgCode; token: string } | undefined {
  if (!value || value.length > 100) return undefined;
  const [code, token, extra] = value.split('.');
  if (extra !== undefined || !token || !/^[\w-]{43}$/.test(token) || !isLgCode(code)) return undefined;
  return { municipalityCode: code, token };
}

/**
 * Starts a session with a fresh token, ending the one the browser brought (rotation
 * on sign-in: a token planted before sign-in is worth nothing after it).
 */
export async function createResidentSession(
  database: Database,
  holder: { subjectId: string; municipalityCode: LgCode; authSerial: string },
  previousCookie: string | undefined,
  now: Date,
): Promise<{ cookieValue: string; principal: ResidentPrincipal }> {
  if (previousCookie) await endResidentSession(database, previousCookie);
  const token = randomToken();
  const principal: ResidentPrincipal = { ...holder, sessionId: randomUUID(), csrfToken: randomToken() };
  await db(database)
    .insertInto('resident_sessions')
    .values({
      municipality_code: holder.municipalityCode,
      token_hash: hashToken(token),
      session_id: principal.sessionId,
      subject_id: holder.subjectId,
      auth_serial: holder.authSerial,
      csrf_token: principal.csrfToken,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + RESIDENT_ABSOLUTE_MS),
    })
    .execute();
  return { cookieValue: `${holder.municipalityCode}.${token}`, principal };
}

type SessionKey = { readonly code: LgCode; readonly tokenHash: string };
interface SessionRow {
  municipality_code: string;
  token_hash: string;
  session_id: string;
  subject_id: string;
  auth_serial: string;
  csrf_token: string;
  last_seen_at: Date;
  expires_at: Date;
}

const SESSIONS_BY_TOKEN = `
  select k.municipality_code, k.token_hash, s.session_id, s.subject_id, s.auth_serial, s.csrf_token,
    s.last_seen_at, s.expires_at
  from unnest($1::char(6)[], $2::char(64)[]) as k(municipality_code, token_hash)
  join resident_sessions s on s.municipality_code = k.municipality_code and s.token_hash = k.token_hash`;

const sessionId = (key: { code: string; tokenHash: string }) => `${key.code}.${key.tokenHash}`;
/**
 * The session rows of the cookies of the moment, read together (coalescedReads): every
 * resident request starts here, so under load this is the zone's most frequent statement.
 */
const sessionReader = onePer((database: Database) =>
  coalescedReads<SessionKey, SessionRow>({
    idOf: sessionId,
    read: async (keys) => {
      const rows = await database.prepared<SessionRow>(
        'resident_sessions_by_token',
        CompiledQuery.raw(SESSIONS_BY_TOKEN, [keys.map((k) => k.code), keys.map((k) => k.tokenHash)]),
      );
      return new Map(
        rows.map((row) => [sessionId({ code: row.municipality_code, tokenHash: row.token_hash }), row]),
      );
    },
  }),
);

// greatest(): another process may have kept a later visit meanwhile.
const TOUCH_SESSIONS = `
  update resident_sessions s set last_seen_at = greatest(s.last_seen_at, k.seen)
  from unnest($1::char(6)[], $2::char(64)[], $3::timestamptz[]) as k(municipality_code, token_hash, seen)
  where s.municipality_code = k.municipality_code and s.token_hash = k.token_hash`;

interface Touch extends SessionKey {
  readonly seen: Date;
  readonly done: (error?: unknown) => void;
}

/**
 * last_seen_at written for the sessions of the moment in one statement (group commit).
 * Sessions begun together come due together, a minute on: 200 residents signed in at once
 * then sent 200 single updates in the same instant, and their requests waited behind them.
 */
const sessionToucher = onePer((database: Database) =>
  groupWriter<Touch>(
    async (group) => {
      try {
        await database.prepared(
          'resident_sessions_touch',
          CompiledQuery.raw(TOUCH_SESSIONS, [
            group.map((t) => t.code),
            group.map((t) => t.tokenHash),
            group.map((t) => t.seen.toISOString()),
          ]),
        );
        for (const touch of group) touch.done();
      } catch (error) {
        for (const touch of group) touch.done(error);
      }
    },
    { maxGroup: 500, spacingMs: 2 },
  ),
);

function touchSession(database: Database, key: SessionKey, seen: Date): Promise<void> {
  return new Promise((resolve, reject) =>
    sessionToucher(database)({ ...key, seen, done: (error) => (error ? reject(error) : resolve()) }),
  );
}

/** The live session a cookie names, or undefined; idle and absolute limits enforced, last_seen_at kept to a minute. */
export async function verifyResidentSession(
  database: Database,
  cookieValue: string | undefined,
  now: Date,
): Promise<ResidentPrincipal | undefined> {
  const parsed = parseCookie(cookieValue);
  if (!parsed) return undefined;
  const tokenHash = hashToken(parsed.token);
  const row = await sessionReader(database)({ code: parsed.municipalityCode, tokenHash });
  if (!row) return undefined;
  const lastSeen = new Date(row.last_seen_at).getTime();
  if (new Date(row.expires_at).getTime() <= now.getTime() || lastSeen + RESIDENT_IDLE_MS <= now.getTime()) {
    await endResidentSession(database, cookieValue);
    return undefined;
  }
  if (now.getTime() - lastSeen >= TOUCH_MS) {
    await touchSession(database, { code: parsed.municipalityCode, tokenHash }, now);
  }
  return {
    subjectId: row.subject_id,
    municipalityCode: parsed.municipalityCode,
    sessionId: row.session_id,
    authSerial: row.auth_serial,
    csrfToken: row.csrf_token,
  };
}

export async function endResidentSession(database: Database, cookieValue: string | undefined): Promise<void> {
  const parsed = parseCookie(cookieValue);
  if (!parsed) return;
  await db(database)
    .deleteFrom('resident_sessions')
    .where('municipality_code', '=', parsed.municipalityCode)
    .where('token_hash', '=', hashToken(parsed.token))
    .execute();
}
