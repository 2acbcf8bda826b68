import { hash } from 'node:crypto';
import type { AuditDetail } from './types.ts';

/** The stored form of an entry, as the hash covers it. */
export interface AuditRow {
  seq: number;
  at: string;
  municipalityCode: string | null;
  actor: string;
  action: string;
  target: string | null;
  reason: string | null;
  outcome: string;
  details: Record<string, AuditDetail>;
}

export const GENESIS_HASH = '0'.repeat(64);

function canonicalDetails(details: Record<string, AuditDetail>): string {
  return JSON.stringify(
    Object.keys(details)
      .sort()
      .map((key) => [key, details[key]]),
  );
}

/** sha256 over the previous hash and every field of the row, in a fixed order. */
export function hashRow(prevHash: string, row: AuditRow): string {
  const fields = [
    prevHash,
    String(row.seq),
    row.at,
    row.municipalityCode ?? '',
    row.actor,
    row.action,
    row.target ?? '',
    row.reason ?? '',
    row.outcome,
    canonicalDetails(row.details),
  ];
  return hash('sha256', JSON.stringify(fields));
}

/** The details as stored: keys whose value is `undefined` are dropped, as JSON drops them. */
export function storedDetails(
  details: Readonly<Record<string, AuditDetail>> | undefined,
): Record<string, AuditDetail> {
  const stored: Record<string, AuditDetail> = {};
  for (const [key, value] of Object.entries(details ?? {})) if (value !== undefined) stored[key] = value;
  return stored;
}

/**
 * The writer hashes `Date#toISOString()` (millisecond precision, UTC, `Z`). timestamptz
 * keeps microseconds, so the reader formats them all (`…SS.ffffffZ`) and drops the last
 * three digits only when they are zero. A row whose time was moved by microseconds thus
 * keeps six digits and fails its hash, instead of being silently rounded back.
 */
export function normaliseStoredAt(utcWithMicros: string): string {
  return utcWithMicros.replace(/(\.\d{3})000Z$/, '$1Z');
}
