import { hash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { type Database, fixedQuery, isLgCode, type LgCode, type TenantScope } from '../../core/index.ts';
import type { Role, StaffPrincipal } from './roles.ts';
import type { IdentityDb } from './tables.ts';

export const SESSION_COOKIE = 'machi_staff';
/** Idle and absolute limits (IPA「安全なウェブサイトの作り方」, OWASP Session Management). */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most this often: a write per request would cost more than the read. */
export const SESSION_TOUCH_MS = 60 * 1000;

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return hash('sha256', token);
}

/** Constant-time equality of two tokens (CSRF tokens, double-submit cookies). */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || a.length === 0) return false;
  const left = hash('sha256', a, 'buffer');
  const right = hash('sha256', b, 'buffer');
  return timingSafeEqual(left, right);
}

/** The cookie value is `<municipality code>.<token>`: the code picks the shard, the token proves the session. */
export function sessionCookieValue(municipalityCode: LgCode, token: string): string {
  return `${municipalityCode}.${token}`;
}

function parseCookieValue(
  value: string | undefined,
): { municipalityCode: LgCode; token: string } | undefined {
  if (!value || value.length > 100) return undefined;
  const [code, token, extra] = value.split('.');
  if (extra !== undefined || !token || !/^[\w-]{43}$/.test(token) || !isLgCode(code)) return undefined;
  return { municipalityCode: code, token };
}

export interface NewSession {
  readonly cookieValue: string;
  readonly sessionId: string;
  readonly csrfToken: string;
}

/** Starts a session with a fresh token (never reuses one the browser brought: session fixation). */
export async function createSession(
  db: IdentityDb,
  scope: TenantScope,
  staffId: string,
  now: Date,
): Promise<NewSession> {
  const token = randomToken();
  const sessionId = randomUUID();
  const csrfToken = randomToken();
  // Expired sessions of this person go now; the index makes it cheap.
  await db
    .deleteFrom('staff_sessions')
    .where('municipality_code', '=', scope.municipalityCode)
    .where('staff_id', '=', staffId)
    .where((eb) =>
      eb.or([
        eb('expires_at', '<=', now),
        eb('last_seen_at', '<=', new Date(now.getTime() - SESSION_IDLE_MS)),
      ]),
    )
    .execute();
  await db
    .insertInto('staff_sessions')
    .values({
      municipality_code: scope.municipalityCode,
      token_hash: hashToken(token),
      session_id: sessionId,
      staff_id: staffId,
      csrf_token: csrfToken,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
    })
    .execute();
  return { cookieValue: sessionCookieValue(scope.municipalityCode, token), sessionId, csrfToken };
}

// Every staff request starts here: built once, planned once per connection.
const sessionByToken = fixedQuery(
  'identity_session_by_token',
  (db: IdentityDb, municipalityCode: LgCode, tokenHash: string) =>
    db
      .selectFrom('staff_sessions as s')
      .innerJoin('staff_accounts as a', (join) =>
        join.onRef('a.municipality_code', '=', 's.municipality_code').onRef('a.staff_id', '=', 's.staff_id'),
      )
      .select([
        's.session_id',
        's.staff_id',
        's.csrf_token',
        's.last_seen_at',
        's.expires_at',
        'a.user_name',
        'a.display_name',
        'a.roles',
        'a.disabled',
      ])
      .where('s.municipality_code', '=', municipalityCode)
      .where('s.token_hash', '=', tokenHash),
);

/**
 * Finds the live session a cookie names, with its staff member: one
 * primary-key read joined to the account. Refreshes last_seen_at at most once
 * a minute, so the idle limit is honoured to within a minute. `validUntil` is when
 * the session ends unless used again (the absolute or the idle limit).
 */
export async function verifySession(
  database: Database,
  cookieValue: string | undefined,
  now: Date,
): Promise<{ principal: StaffPrincipal; validUntil: Date } | undefined> {
  const parsed = parseCookieValue(cookieValue);
  if (!parsed) return undefined;
  const tokenHash = hashToken(parsed.token);
  const [row] = await sessionByToken(database, parsed.municipalityCode, tokenHash);
  if (!row) return undefined;
  const db = database.db as IdentityDb;
  const lastSeen = new Date(row.last_seen_at).getTime();
  const expired =
    row.disabled ||
    new Date(row.expires_at).getTime() <= now.getTime() ||
    lastSeen + SESSION_IDLE_MS <= now.getTime();
  if (expired) {
    await deleteSession(db, parsed.municipalityCode, tokenHash);
    return undefined;
  }
  const touch = now.getTime() - lastSeen >= SESSION_TOUCH_MS;
  if (touch) {
    await db
      .updateTable('staff_sessions')
      .set({ last_seen_at: now })
      .where('municipality_code', '=', parsed.municipalityCode)
      .where('token_hash', '=', tokenHash)
      .execute();
  }
  const principal: StaffPrincipal = {
    staffId: row.staff_id,
    municipalityCode: parsed.municipalityCode,
    userName: row.user_name,
    displayName: row.display_name,
    roles: row.roles as Role[],
    sessionId: row.session_id,
    csrfToken: row.csrf_token,
  };
  const idleUntil = (touch ? now.getTime() : lastSeen) + SESSION_IDLE_MS;
  return { principal, validUntil: new Date(Math.min(new Date(row.expires_at).getTime(), idleUntil)) };
}

/** The signed-in staff member of the cookie, or undefined (see `verifySession`). */
export async function loadSession(
  database: Database,
  cookieValue: string | undefined,
  now: Date,
): Promise<StaffPrincipal | undefined> {
  return (await verifySession(database, cookieValue, now))?.principal;
}

async function deleteSession(db: IdentityDb, municipalityCode: LgCode, tokenHash: string): Promise<void> {
  await db
    .deleteFrom('staff_sessions')
    .where('municipality_code', '=', municipalityCode)
    .where('token_hash', '=', tokenHash)
    .execute();
}

/** Ends the session a cookie names (sign-out, or a new sign-in replacing it). */
export async function endSession(db: IdentityDb, cookieValue: string | undefined): Promise<void> {
  const parsed = parseCookieValue(cookieValue);
  if (parsed) await deleteSession(db, parsed.municipalityCode, hashToken(parsed.token));
}
