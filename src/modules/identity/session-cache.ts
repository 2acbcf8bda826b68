import type { StaffPrincipal } from './roles.ts';

/**
 * How long a verified session is trusted without asking the database again. A staff
 * request's session check is one of its two database round trips; within this window a
 * sign-out or a disabled account in ANOTHER process takes effect late by at most this
 * much (in this process, at once: sign-out forgets the entry).
 */
export const SESSION_CACHE_MS = 1000;
const MAX_ENTRIES = 10_000;

interface Entry {
  readonly principal: StaffPrincipal;
  /** Clock time (ms) after which the entry is not used. */
  readonly until: number;
}

/** Sessions verified in the last second, by cookie value. Bounded; oldest dropped first. */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();

  get(cookieValue: string | undefined, now: Date): StaffPrincipal | undefined {
    if (!cookieValue) return undefined;
    const entry = this.entries.get(cookieValue);
    if (!entry) return undefined;
    if (now.getTime() < entry.until) return entry.principal;
    this.entries.delete(cookieValue);
    return undefined;
  }

  /** Keeps a principal just verified, never past `sessionValidUntil` (absolute or idle limit). */
  remember(cookieValue: string, principal: StaffPrincipal, now: Date, sessionValidUntil: Date): void {
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    const until = Math.min(now.getTime() + SESSION_CACHE_MS, sessionValidUntil.getTime());
    this.entries.set(cookieValue, { principal, until });
  }

  forget(cookieValue: string | undefined): void {
    if (cookieValue) this.entries.delete(cookieValue);
  }
}
