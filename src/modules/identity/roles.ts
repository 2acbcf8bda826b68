import type { LgCode } from '../../core/index.ts';

/**
 * Staff roles. Each route names the roles that may use it; `admin` manages
 * staff accounts but is not thereby a registry clerk (separation of duties).
 */
export const roles = ['registry-clerk', 'case-worker', 'points-admin', 'auditor', 'admin'] as const;
export type Role = (typeof roles)[number];

/** The signed-in staff member, as routes see them. Set on `request.staff` by `requireRole`. */
export interface StaffPrincipal {
  readonly staffId: string;
  readonly municipalityCode: LgCode;
  readonly userName: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly sessionId: string;
  /** Per-session CSRF token, embedded in forms and sent back as `_csrf` or `x-csrf-token`. */
  readonly csrfToken: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    staff?: StaffPrincipal;
  }
}
