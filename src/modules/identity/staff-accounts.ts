import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { type AuditLog, MachiError, type TenantScope } from '../../core/index.ts';
import { generatePassword, hashPassword } from './password.ts';
import { roles as allRoles, type Role } from './roles.ts';
import type { IdentityDb } from './tables.ts';
import { generateTotpSecret, otpauthUri } from './totp.ts';

/** A staff account as lists and APIs show it: no hash, no secret. */
export interface StaffSummary {
  readonly staffId: string;
  readonly municipalityCode: string;
  readonly userName: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly disabled: boolean;
  readonly createdAt: string;
}

export interface CreateStaffInput {
  readonly userName: string;
  readonly displayName: string;
  readonly roles: readonly string[];
  /** Given only by tests and the demo seed; otherwise generated. */
  readonly password?: string;
  readonly totpSecret?: string;
  /** Shown in the authenticator app, e.g. `Machi mynumber 131016`. */
  readonly issuer?: string;
  readonly now?: Date;
  /** When given, a `staff.create` entry is appended in the same transaction as the account. */
  readonly audit?: { readonly log: AuditLog; readonly actor: string };
}

/** Careful: this returns secrets. Show them once to the person who sets up the account, then drop them. */
export interface CreatedStaff {
  readonly staff: StaffSummary;
  readonly initialPassword: string;
  readonly totpSecret: string;
  readonly otpauthUri: string;
}

const USER_NAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/**
 * User names are compared in NFKC lower case, so a name typed with a Japanese
 * IME in full-width letters (ＤＥＭＯ) still finds the account.
 */
export function normalizeUserName(input: string): string {
  return input.normalize('NFKC').trim().toLowerCase();
}

export function parseUserName(input: string): string {
  const userName = normalizeUserName(input);
  if (!USER_NAME.test(userName)) {
    throw new MachiError(
      'validation-failed',
      'A user name has 2 to 64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit.',
      { field: 'userName' },
    );
  }
  return userName;
}

export function parseRoles(input: readonly string[]): Role[] {
  const unknown = input.filter((role) => !(allRoles as readonly string[]).includes(role));
  if (unknown.length > 0 || input.length === 0) {
    throw new MachiError('validation-failed', `Roles must be one or more of ${allRoles.join(', ')}.`, {
      field: 'roles',
      unknown: unknown.slice(0, 5),
    });
  }
  return [...new Set(input as Role[])];
}

export function toSummary(row: {
  staff_id: string;
  municipality_code: string;
  user_name: string;
  display_name: string;
  roles: Role[];
  disabled: boolean;
  created_at: Date;
}): StaffSummary {
  return {
    staffId: row.staff_id,
    municipalityCode: row.municipality_code,
    userName: row.user_name,
    displayName: row.display_name,
    roles: row.roles,
    disabled: row.disabled,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** Creates a staff account with a generated (or given) password and TOTP secret. `conflict` if the name is taken. */
export async function createStaffAccount(
  db: IdentityDb,
  scope: TenantScope,
  input: CreateStaffInput,
): Promise<CreatedStaff> {
  const userName = parseUserName(input.userName);
  const displayName = input.displayName.normalize('NFC').trim();
  if (displayName.length === 0 || displayName.length > 100) {
    throw new MachiError('validation-failed', 'A display name has 1 to 100 characters.', {
      field: 'displayName',
    });
  }
  const roles = parseRoles(input.roles);
  const initialPassword = input.password ?? generatePassword();
  const passwordHash = await hashPassword(initialPassword);
  const totpSecret = input.totpSecret ?? generateTotpSecret();
  const row = {
    municipality_code: scope.municipalityCode,
    staff_id: randomUUID(),
    user_name: userName,
    display_name: displayName,
    password_hash: passwordHash,
    totp_secret: totpSecret,
    // An explicit text[] cast: PGlite and node-postgres then agree on how the array is sent.
    roles: sql<Role[]>`${sql.val(roles)}::text[]`,
    created_at: input.now ?? new Date(),
  };
  // Hashing happened above, outside the transaction: it takes ~90 ms and must not hold a connection.
  const inserted = await db.transaction().execute(async (trx) => {
    const result = await trx
      .insertInto('staff_accounts')
      .values(row)
      .onConflict((oc) => oc.columns(['municipality_code', 'user_name']).doNothing())
      .returning([
        'staff_id',
        'municipality_code',
        'user_name',
        'display_name',
        'roles',
        'disabled',
        'created_at',
      ])
      .executeTakeFirst();
    if (result && input.audit) {
      await input.audit.log.append(trx, {
        municipalityCode: scope.municipalityCode,
        actor: input.audit.actor,
        action: 'staff.create',
        target: `staff:${result.staff_id}`,
        outcome: 'success',
        details: { roles: roles.join(',') },
      });
    }
    return result;
  });
  if (!inserted) {
    throw new MachiError('conflict', 'That user name is already taken in this municipality.', {
      field: 'userName',
    });
  }
  return {
    staff: toSummary(inserted),
    initialPassword,
    totpSecret,
    otpauthUri: otpauthUri({
      secret: totpSecret,
      accountName: `${userName}@${scope.municipalityCode}`,
      issuer: input.issuer ?? 'Machi',
    }),
  };
}

export async function listStaff(db: IdentityDb, scope: TenantScope): Promise<StaffSummary[]> {
  const rows = await db
    .selectFrom('staff_accounts')
    .select(['staff_id', 'municipality_code', 'user_name', 'display_name', 'roles', 'disabled', 'created_at'])
    .where('municipality_code', '=', scope.municipalityCode)
    .orderBy('user_name')
    .execute();
  return rows.map(toSummary);
}

export async function staffExists(db: IdentityDb, scope: TenantScope, userName: string): Promise<boolean> {
  const row = await db
    .selectFrom('staff_accounts')
    .select('staff_id')
    .where('municipality_code', '=', scope.municipalityCode)
    .where('user_name', '=', normalizeUserName(userName))
    .executeTakeFirst();
  return row !== undefined;
}
