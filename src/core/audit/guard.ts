import { MachiError } from '../errors/index.ts';
import type { AuditDetail, AuditEntry } from './types.ts';

// A canonical UUID (RFC 9562 §4): its last group is 12 hex digits and, about one time in
// 300, all 12 are decimal. Ids are exactly what audit entries carry, so UUIDs are taken
// out before looking for a My Number, or the guard would refuse random valid entries.
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
// A My Number is 12 digits (番号利用法 第2条第5項, check digit per 施行令 第8条). Any
// standalone run of 12 digits is refused, check digit or not: a mistyped number is
// still personal data, and no audit field needs a bare 12-digit figure.
const TWELVE_DIGITS = /\b\d{12}\b/;

function looksLikeMyNumber(text: string): boolean {
  return TWELVE_DIGITS.test(text.replace(UUID, ''));
}

function refuse(field: string, why: string): never {
  // The value itself is never echoed: it may be the very personal data being refused.
  throw new MachiError('validation-failed', `Audit entry field "${field}" ${why}.`, { field });
}

function checkDetail(key: string, value: AuditDetail): void {
  const field = `details.${key}`;
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    // NaN and ±Infinity become null in JSON: the stored row would not match its hash.
    if (!Number.isFinite(value)) refuse(field, 'must be a finite number');
  } else if (typeof value !== 'string') {
    // Nested objects would be re-ordered by jsonb and break the hash; the type forbids them
    // but JavaScript callers and `as` casts do not.
    refuse(field, 'must be a string, number, boolean or null');
  }
  if (looksLikeMyNumber(String(value))) refuse(field, 'looks like a My Number (12 digits)');
}

/**
 * Defence in depth against personal data in the audit log: the log is kept for years
 * and read by auditors, so it carries ids and counts only (ARCHITECTURE "Data").
 * Runs before anything is written; throws MachiError('validation-failed').
 */
export function assertAuditable(entry: AuditEntry): void {
  for (const field of ['actor', 'target', 'reason'] as const) {
    const value = entry[field];
    if (typeof value === 'string' && looksLikeMyNumber(value)) {
      refuse(field, 'looks like a My Number (12 digits)');
    }
  }
  const details: unknown = entry.details ?? {};
  if (typeof details !== 'object' || details === null || Array.isArray(details)) {
    refuse('details', 'must be an object of ids, counts and flags');
  }
  for (const [key, value] of Object.entries(details as Record<string, AuditDetail>)) {
    // `undefined` keys are dropped by the writer (see storedDetails), as JSON drops them.
    if (value !== undefined) checkDetail(key, value);
  }
}
