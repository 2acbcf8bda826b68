import { type AuditLog, type LgCode, MachiError, tenantScope } from '../../core/index.ts';
import { verifyAgainstDummy, verifyPassword } from './password.ts';
import type { Role, StaffPrincipal } from './roles.ts';
import { createSession, type NewSession } from './sessions.ts';
import { normalizeUserName } from './staff-accounts.ts';
import type { IdentityDb } from './tables.ts';
import { matchTotp } from './totp.ts';

/** Consecutive failures that lock an account, and for how long (NISC 統一基準: lock out repeated guessing). */
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

export interface SignInInput {
  readonly municipalityCode: LgCode;
  readonly userName: string;
  readonly password: string;
  /** The 6-digit code from the authenticator app. */
  readonly code: string;
}

export interface SignInDeps {
  readonly db: IdentityDb;
  readonly audit: AuditLog;
  readonly now: Date;
}

export interface SignedIn {
  readonly principal: StaffPrincipal;
  readonly session: NewSession;
}

type FailureReason = 'password' | 'totp' | 'totp-replay' | 'locked' | 'disabled';

type Outcome =
  | { readonly kind: 'signed-in'; readonly result: SignedIn }
  | { readonly kind: 'failed'; readonly nowLocked: boolean }
  | { readonly kind: 'locked'; readonly until: Date };

/** Full-width digits and spaces, as an IME may type them, become plain digits. */
function normalizeCode(code: string): string {
  return code.normalize('NFKC').replace(/\s/g, '');
}

/**
 * Password AND one-time code, both required. Every attempt is audited; the
 * caller learns only `credentials-invalid` (which part was wrong is not said)
 * or `account-locked`. The password is hashed even for unknown names, so the
 * response time does not reveal which names exist.
 */
export async function signIn(deps: SignInDeps, input: SignInInput): Promise<SignedIn> {
  const { db, audit, now } = deps;
  const municipalityCode = input.municipalityCode;
  const base = { municipalityCode, action: 'staff.sign-in' } as const;
  const account = await db
    .selectFrom('staff_accounts')
    .select(['staff_id', 'password_hash', 'totp_secret'])
    .where('municipality_code', '=', municipalityCode)
    .where('user_name', '=', normalizeUserName(input.userName))
    .executeTakeFirst();
  if (!account) {
    await verifyAgainstDummy(input.password);
    // No user name in the entry: an unknown name is often a password typed into the wrong field.
    await audit.record({
      ...base,
      actor: 'unknown',
      outcome: 'failure',
      details: { reason: 'unknown-user' },
    });
    throw new MachiError('credentials-invalid');
  }
  const passwordOk = await verifyPassword(input.password, account.password_hash);
  const actor = `staff:${account.staff_id}`;

  const outcome = await db.transaction().execute(async (trx): Promise<Outcome> => {
    // The row lock makes the failure counter and the used-step check safe under concurrent attempts.
    const current = await trx
      .selectFrom('staff_accounts')
      .select([
        'user_name',
        'display_name',
        'roles',
        'failed_attempts',
        'locked_until',
        'last_totp_step',
        'disabled',
      ])
      .where('municipality_code', '=', municipalityCode)
      .where('staff_id', '=', account.staff_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const where = { municipality_code: municipalityCode, staff_id: account.staff_id };
    if (current.locked_until && new Date(current.locked_until).getTime() > now.getTime()) {
      await audit.append(trx, { ...base, actor, outcome: 'failure', details: { reason: 'locked' } });
      return { kind: 'locked', until: new Date(current.locked_until) };
    }
    let reason: FailureReason | undefined;
    let step: number | undefined;
    if (current.disabled) reason = 'disabled';
    else if (!passwordOk) reason = 'password';
    else {
      const match = matchTotp(account.totp_secret, normalizeCode(input.code), now, current.last_totp_step);
      if (!match) reason = 'totp';
      else if ('replayed' in match) reason = 'totp-replay';
      else step = match.step;
    }
    if (reason !== undefined || step === undefined) {
      const attempts = current.failed_attempts + 1;
      const nowLocked = attempts >= MAX_FAILED_ATTEMPTS;
      await trx
        .updateTable('staff_accounts')
        .set(
          nowLocked
            ? { failed_attempts: 0, locked_until: new Date(now.getTime() + LOCKOUT_MS) }
            : { failed_attempts: attempts },
        )
        .where('municipality_code', '=', where.municipality_code)
        .where('staff_id', '=', where.staff_id)
        .execute();
      await audit.append(trx, {
        ...base,
        actor,
        outcome: 'failure',
        details: { reason: reason ?? 'totp', failedAttempts: attempts, locked: nowLocked },
      });
      return { kind: 'failed', nowLocked };
    }
    await trx
      .updateTable('staff_accounts')
      .set({ failed_attempts: 0, locked_until: null, last_totp_step: step })
      .where('municipality_code', '=', where.municipality_code)
      .where('staff_id', '=', where.staff_id)
      .execute();
    const session = await createSession(trx, tenantScope(municipalityCode), account.staff_id, now);
    await audit.append(trx, {
      ...base,
      actor,
      outcome: 'success',
      details: { sessionId: session.sessionId },
    });
    return {
      kind: 'signed-in',
      result: {
        session,
        principal: {
          staffId: account.staff_id,
          municipalityCode,
          userName: current.user_name,
          displayName: current.display_name,
          roles: current.roles as Role[],
          sessionId: session.sessionId,
          csrfToken: session.csrfToken,
        },
      },
    };
  });
  if (outcome.kind === 'signed-in') return outcome.result;
  if (outcome.kind === 'locked' || outcome.nowLocked) {
    const until = outcome.kind === 'locked' ? outcome.until.getTime() : now.getTime() + LOCKOUT_MS;
    throw new MachiError('account-locked', 'The account is locked for 15 minutes after 5 failed sign-ins.', {
      retryAfterSeconds: Math.ceil((until - now.getTime()) / 1000),
    });
  }
  throw new MachiError('credentials-invalid');
}
