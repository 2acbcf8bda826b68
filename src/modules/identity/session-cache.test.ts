import { describe, expect, it } from 'vitest';
import type { LgCode } from '../../core/index.ts';
import type { StaffPrincipal } from './roles.ts';
import { SESSION_CACHE_MS, SessionCache } from './session-cache.ts';

const principal: StaffPrincipal = {
  staffId: 'a1',
  municipalityCode: '131016' as LgCode,
  userName: 'clerk',
  displayName: '窓口 職員',
  roles: ['registry-clerk'],
  sessionId: 's1',
  csrfToken: 't1',
};
const at = (ms: number) => new Date(Date.UTC(2025, 3, 1) + ms);
const far = at(3_600_000);

describe('SessionCache', () => {
  it('answers for a second after verification, then asks again', () => {
    const cache = new SessionCache();
    cache.remember('131016.x', principal, at(0), far);
    expect(cache.get('131016.x', at(SESSION_CACHE_MS - 1))).toBe(principal);
    expect(cache.get('131016.x', at(SESSION_CACHE_MS))).toBeUndefined();
    expect(cache.get('131016.x', at(0))).toBeUndefined(); // dropped once stale
  });

  it('never outlives the session itself', () => {
    const cache = new SessionCache();
    cache.remember('131016.x', principal, at(0), at(200));
    expect(cache.get('131016.x', at(199))).toBe(principal);
    expect(cache.get('131016.x', at(200))).toBeUndefined();
  });

  it('forgets at once (sign-out), and knows nothing of other cookies or none', () => {
    const cache = new SessionCache();
    cache.remember('131016.x', principal, at(0), far);
    expect(cache.get('131016.y', at(0))).toBeUndefined();
    expect(cache.get(undefined, at(0))).toBeUndefined();
    cache.forget('131016.x');
    expect(cache.get('131016.x', at(0))).toBeUndefined();
  });

  it('stays bounded: the oldest entry goes first', () => {
    const cache = new SessionCache();
    for (let i = 0; i <= 10_000; i++) cache.remember(`c${i}`, principal, at(0), far);
    expect(cache.get('c0', at(0))).toBeUndefined();
    expect(cache.get('c1', at(0))).toBe(principal);
    expect(cache.get('c10000', at(0))).toBe(principal);
  });
});
