import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type Clock,
  type Database,
  type HttpApp,
  MachiError,
  parseLgCode,
  type TenantScope,
  tenantScope,
} from '../../core/index.ts';
import type { Role, StaffPrincipal } from './roles.ts';
import type { SessionCache } from './session-cache.ts';
import { endSession, SESSION_COOKIE, sameToken, verifySession } from './sessions.ts';
import type { IdentityDb } from './tables.ts';

/** What `requireRole` needs from the zone; set once by `registerIdentity`. */
export interface StaffAuth {
  readonly database: Database;
  /** Sessions verified within the last second (see SESSION_CACHE_MS). */
  readonly sessions: SessionCache;
  readonly clock: Clock;
}

declare module 'fastify' {
  interface FastifyInstance {
    machiStaffAuth?: StaffAuth;
  }
}

export function installStaffAuth(app: HttpApp, auth: StaffAuth): void {
  app.decorate('machiStaffAuth', auth);
}

async function staffOf(
  auth: StaffAuth,
  cookieValue: string | undefined,
): Promise<StaffPrincipal | undefined> {
  const now = auth.clock.now();
  const cached = auth.sessions.get(cookieValue, now);
  if (cached) return cached;
  const verified = await verifySession(auth.database, cookieValue, now);
  if (verified && cookieValue)
    auth.sessions.remember(cookieValue, verified.principal, now, verified.validUntil);
  return verified?.principal;
}

/** Ends the session a cookie names: in the database, and at once in this process's cache. */
export async function endStaffSession(
  request: FastifyRequest,
  cookieValue: string | undefined,
): Promise<void> {
  const auth = request.server.machiStaffAuth;
  if (!auth) throw new Error('endStaffSession needs the identity module registered in this zone.');
  await endSession(auth.database.db as IdentityDb, cookieValue);
  auth.sessions.forget(cookieValue);
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function wantsPage(request: FastifyRequest): boolean {
  return request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
}

/** The CSRF token a request brings: `x-csrf-token` header, or the `_csrf` field of a form or JSON body. */
export function csrfFrom(request: FastifyRequest): string | undefined {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = request.body;
  if (body && typeof body === 'object' && '_csrf' in body) {
    const field = (body as { _csrf: unknown })._csrf;
    if (typeof field === 'string') return field;
  }
  return undefined;
}

/**
 * A hook that admits only signed-in staff with one of `roles` (any role when
 * none are named). Sets `request.staff`. Unsafe methods must carry the
 * session's CSRF token (`_csrf` field or `x-csrf-token` header; OWASP
 * synchronizer token pattern). Use it as `preHandler`, or as `preValidation`
 * to refuse strangers before their body is validated.
 */
export function requireRole(...roles: Role[]) {
  return async function requireStaffRole(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const auth = request.server.machiStaffAuth;
    if (!auth) throw new Error('requireRole needs the identity module registered in this zone.');
    const staff = await staffOf(auth, request.cookies?.[SESSION_COOKIE]);
    if (!staff) {
      if (wantsPage(request)) {
        // 303 to the sign-in page, which comes back here afterwards (same-site path only).
        return reply.redirect(`/staff/sign-in?next=${encodeURIComponent(request.url)}`, 303);
      }
      throw new MachiError('authentication-required');
    }
    request.staff = staff;
    if (roles.length > 0 && !roles.some((role) => staff.roles.includes(role))) {
      throw new MachiError('forbidden', `This needs one of the roles: ${roles.join(', ')}.`, {
        requiredRoles: roles,
      });
    }
    if (UNSAFE_METHODS.has(request.method) && !sameToken(csrfFrom(request), staff.csrfToken)) {
      throw new MachiError('csrf-invalid');
    }
  };
}

/** The signed-in staff member, or `authentication-required` (for routes behind `requireRole`). */
export function currentStaff(request: FastifyRequest): StaffPrincipal {
  if (!request.staff) throw new MachiError('authentication-required');
  return request.staff;
}

/** The tenant of this request: the signed-in staff member's municipality, never the body's. */
export function staffScope(request: FastifyRequest): TenantScope {
  return tenantScope(currentStaff(request).municipalityCode);
}

/**
 * Checks a municipality code from the URL against the signed-in staff
 * member's, before any data is touched: `lg-code-invalid` if malformed,
 * `tenant-forbidden` if it is another municipality's.
 */
export function requireTenant(request: FastifyRequest, lgCodeInput: unknown): TenantScope {
  const code = parseLgCode(lgCodeInput);
  const staff = currentStaff(request);
  if (code !== staff.municipalityCode) {
    throw new MachiError('tenant-forbidden', 'You may act only for your own municipality.', {
      municipalityCode: code,
    });
  }
  return tenantScope(code);
}
