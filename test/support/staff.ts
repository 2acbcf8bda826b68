import { randomBytes } from 'node:crypto';
import { type Clock, type HttpApp, parseLgCode, tenantScope } from '../../src/core/index.ts';
import {
  type CreatedStaff,
  createStaffAccount,
  type IdentityDb,
  type Role,
  SESSION_COOKIE,
  totpCode,
} from '../../src/modules/identity/index.ts';
import type { RunningZone } from '../../src/zones/index.ts';

export interface StaffCredentials {
  readonly municipalityCode: string;
  readonly userName: string;
  readonly password: string;
  readonly totpSecret: string;
  /** Defaults to the system clock; pass the zone's fixedClock when the test moves time. */
  readonly clock?: Clock;
}

export interface SignedInStaff {
  /** `machi_staff=…`, ready for the `cookie` header of app.inject(). */
  readonly cookie: string;
  /** Send as `x-csrf-token` (or `_csrf` form field) on POST/PUT/PATCH/DELETE. */
  readonly csrfToken: string;
  readonly staffId: string;
}

/**
 * Signs a staff member in through POST /staff/sign-in (JSON), as a browser
 * would, and returns the session cookie and CSRF token. Careful: a one-time
 * code works once, so one account can sign in only once per 30-second step —
 * use a fresh account per sign-in (`createTestStaff`) or move the clock.
 */
export async function signInStaff(app: HttpApp, credentials: StaffCredentials): Promise<SignedInStaff> {
  const now = credentials.clock?.now() ?? new Date();
  const response = await app.inject({
    method: 'POST',
    url: '/staff/sign-in',
    payload: {
      municipalityCode: credentials.municipalityCode,
      userName: credentials.userName,
      password: credentials.password,
      code: totpCode(credentials.totpSecret, now),
    },
  });
  if (response.statusCode !== 200) {
    throw new Error(`signInStaff: sign-in failed with ${response.statusCode}: ${response.body}`);
  }
  const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error('signInStaff: no session cookie was set');
  const body = response.json() as { csrfToken: string; staff: { staffId: string } };
  return {
    cookie: `${SESSION_COOKIE}=${cookie.value}`,
    csrfToken: body.csrfToken,
    staffId: body.staff.staffId,
  };
}

/** Creates a staff account with a random user name in the zone's database. */
export async function createTestStaff(
  zone: RunningZone,
  input: { municipalityCode: string; roles: Role[]; userName?: string },
): Promise<CreatedStaff & StaffCredentials> {
  const scope = tenantScope(parseLgCode(input.municipalityCode));
  const userName = input.userName ?? `test-${randomBytes(4).toString('hex')}`;
  const created = await createStaffAccount(zone.context.database.db as IdentityDb, scope, {
    userName,
    displayName: 'テスト 職員',
    roles: input.roles,
    now: zone.context.clock.now(),
  });
  return {
    ...created,
    municipalityCode: input.municipalityCode,
    userName,
    password: created.initialPassword,
    clock: zone.context.clock,
  };
}

/** A fresh account with `roles`, signed in: the usual start of another module's route test. */
export async function signedInStaff(
  zone: RunningZone,
  input: { municipalityCode: string; roles: Role[] },
): Promise<SignedInStaff> {
  return signInStaff(zone.app, await createTestStaff(zone, input));
}
