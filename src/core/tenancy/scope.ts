import type { LgCode } from './lg-code.ts';

/**
 * The tenant of a unit of work. Every data function of a tenant table takes one,
 * so a query without a municipality does not type-check. It comes from the
 * signed-in staff member's session, never from the request body.
 */
export interface TenantScope {
  readonly municipalityCode: LgCode;
}

export function tenantScope(municipalityCode: LgCode): TenantScope {
  return Object.freeze({ municipalityCode });
}
