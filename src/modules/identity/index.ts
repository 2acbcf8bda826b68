// The identity module's public API: staff sign-in (password + TOTP), sessions and roles.
export { base32Decode, base32Encode } from './base32.ts';
export { type DemoStaffEntry, demoStaffFile, seedDemoStaff } from './demo-seed.ts';
export { identityMigrations } from './migrations.ts';
export { generatePassword, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './password.ts';
export { registerIdentity } from './register.ts';
export { csrfFrom, currentStaff, requireRole, requireTenant, staffScope } from './require-role.ts';
export { type Role, roles, type StaffPrincipal } from './roles.ts';
export { SESSION_CACHE_MS } from './session-cache.ts';
export {
  hashToken,
  randomToken,
  SESSION_ABSOLUTE_MS,
  SESSION_COOKIE,
  SESSION_IDLE_MS,
  sameToken,
} from './sessions.ts';
export { LOCKOUT_MS, MAX_FAILED_ATTEMPTS } from './sign-in.ts';
export {
  type CreatedStaff,
  type CreateStaffInput,
  createStaffAccount,
  listStaff,
  type StaffSummary,
} from './staff-accounts.ts';
export type { IdentityDb, IdentityTables } from './tables.ts';
export { generateTotpSecret, hotp, otpauthUri, totpCode, totpStep } from './totp.ts';
