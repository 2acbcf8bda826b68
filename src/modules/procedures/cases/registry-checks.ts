import type { Kysely } from 'kysely';
import type { TenantScope } from '../../../core/index.ts';
import type { AnyTransaction } from './case-record.ts';

/** What mynumber can answer of a signer (see the registry's checkBasicFour). */
export const registryCheckOutcomes = ['match', 'mismatch', 'not-found', 'moved-out', 'deceased'] as const;
export type RegistryCheckOutcome = (typeof registryCheckOutcomes)[number];

/** Whether each of the 基本4情報 agreed with the registry: whether, never the registry's values. */
export interface RegistryCheckFields {
  readonly name: boolean;
  readonly dateOfBirth: boolean;
  readonly sex: boolean;
  readonly address: boolean;
}

/** A version's 住基照会 as the case view shows it. */
export interface RegistryCheckView {
  readonly status: 'pending' | 'answered';
  readonly outcome: RegistryCheckOutcome | null;
  readonly fields: RegistryCheckFields | null;
  /** When mynumber read the registry; null while pending. */
  readonly checkedAt: Date | null;
}

/** The answer as it comes back from mynumber. */
export interface RegistryCheckResult {
  readonly checkId: string;
  readonly submissionId: string;
  readonly version: number;
  readonly outcome: RegistryCheckOutcome;
  readonly fields: RegistryCheckFields;
  readonly checkedAt: string;
  /** YYYY-MM-DD: the day the registry was read as of. */
  readonly asOf: string;
  /** mynumber's pseudonym of the 世帯, or null. */
  readonly householdId: string | null;
}

export interface ProcedureRegistryChecksTable {
  municipality_code: string;
  submission_id: string;
  version: number;
  check_id: string;
  requested_at: Date;
  answered_at: Date | null;
  outcome: RegistryCheckOutcome | null;
  fields: unknown;
  checked_at: Date | null;
  as_of: string | null;
  household_id: string | null;
}

type ChecksDb = Kysely<{ procedure_registry_checks: ProcedureRegistryChecksTable }>;

interface RequestedCheck {
  readonly checkId: string;
  readonly submissionId: string;
  readonly version: number;
}

/**
 * Notes that each check was asked for its version, in the transaction that puts the questions
 * in the outbox; returns the check ids noted. A version asked about before (a filing delivered
 * again) is left out: the caller sends nothing for it, so each version is checked once.
 */
export async function markRegistryChecksRequested(
  trx: AnyTransaction,
  checks: readonly { readonly scope: TenantScope; readonly check: RequestedCheck }[],
  now: Date,
): Promise<Set<string>> {
  if (checks.length === 0) return new Set();
  const inserted = await (trx as ChecksDb)
    .insertInto('procedure_registry_checks')
    .values(
      checks.map(({ scope, check }) => ({
        municipality_code: scope.municipalityCode,
        submission_id: check.submissionId,
        version: check.version,
        check_id: check.checkId,
        requested_at: now,
      })),
    )
    .onConflict((conflict) => conflict.doNothing())
    .returning('check_id')
    .execute();
  return new Set(inserted.map((row) => row.check_id));
}

/**
 * Keeps mynumber's answer to a check this zone asked. 'unknown' for a check never asked here
 * (or for another case or version: the answer must name all three as the question did);
 * 'already' when it was answered before (the first answer stands).
 */
export async function recordRegistryCheck(
  trx: AnyTransaction,
  scope: TenantScope,
  result: RegistryCheckResult,
  now: Date,
): Promise<'recorded' | 'already' | 'unknown'> {
  const db = trx as ChecksDb;
  const updated = await db
    .updateTable('procedure_registry_checks')
    .set({
      answered_at: now,
      outcome: result.outcome,
      fields: JSON.stringify({
        name: result.fields.name,
        dateOfBirth: result.fields.dateOfBirth,
        sex: result.fields.sex,
        address: result.fields.address,
      }),
      checked_at: new Date(result.checkedAt),
      as_of: result.asOf,
      household_id: result.householdId,
    })
    .where('municipality_code', '=', scope.municipalityCode)
    .where('check_id', '=', result.checkId)
    .where('submission_id', '=', result.submissionId)
    .where('version', '=', result.version)
    .where('answered_at', 'is', null)
    .returning('check_id')
    .executeTakeFirst();
  if (updated) return 'recorded';
  const known = await db
    .selectFrom('procedure_registry_checks')
    .select('check_id')
    .where('municipality_code', '=', scope.municipalityCode)
    .where('check_id', '=', result.checkId)
    .where('submission_id', '=', result.submissionId)
    .where('version', '=', result.version)
    .executeTakeFirst();
  return known ? 'already' : 'unknown';
}

/** The checks of a case's versions, by version. */
export async function registryChecksOf(
  // biome-ignore lint/suspicious/noExplicitAny: the zone's database, of any tables.
  db: Kysely<any>,
  scope: TenantScope,
  submissionId: string,
): Promise<Map<number, RegistryCheckView>> {
  const rows = await (db as ChecksDb)
    .selectFrom('procedure_registry_checks')
    .select(['version', 'answered_at', 'outcome', 'fields', 'checked_at'])
    .where('municipality_code', '=', scope.municipalityCode)
    .where('submission_id', '=', submissionId)
    .execute();
  return new Map(
    rows.map((row) => [
      row.version,
      {
        status: row.answered_at ? 'answered' : 'pending',
        outcome: row.outcome,
        fields: (typeof row.fields === 'string'
          ? JSON.parse(row.fields)
          : row.fields) as RegistryCheckFields | null,
        checkedAt: row.checked_at ? new Date(row.checked_at) : null,
      },
    ]),
  );
}
