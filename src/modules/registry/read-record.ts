import type { TenantScope } from '../../core/index.ts';
import type { Purpose } from './purposes.ts';
import { getPersonByResidentCode } from './queries/get-person.ts';
import { personHistory } from './queries/person-history.ts';
import type { PersonHistory, PersonRecord } from './queries/types.ts';
import { type RegistryContext, registryDb } from './registry-context.ts';

/** Who is reading and why: every view of a resident's record is audited with both. */
export interface ReadRequest {
  /** `staff:<id>` */
  readonly actor: string;
  readonly purpose: Purpose;
}

async function audited<T extends { personId: string }>(
  context: RegistryContext,
  scope: TenantScope,
  read: ReadRequest,
  view: 'record' | 'history',
  result: T,
): Promise<T> {
  // Group-committed (record, not append): reads have no transaction of their own.
  // The entry holds the opaque person id and the purpose code — no personal data.
  await context.audit.record({
    municipalityCode: scope.municipalityCode,
    actor: read.actor,
    action: 'registry.person.read',
    target: result.personId,
    reason: read.purpose,
    outcome: 'success',
    details: { view },
  });
  return result;
}

/** The 住民票 and household, audited as read. */
export async function readPerson(
  context: RegistryContext,
  scope: TenantScope,
  residentCode: string,
  read: ReadRequest,
): Promise<PersonRecord> {
  const person = await getPersonByResidentCode(context.database, scope, residentCode);
  return audited(context, scope, read, 'record', person);
}

/** Events and residence periods, audited as read. */
export async function readHistory(
  context: RegistryContext,
  scope: TenantScope,
  residentCode: string,
  read: ReadRequest,
): Promise<PersonHistory> {
  const history = await personHistory(registryDb(context.database), scope, residentCode);
  return audited(context, scope, read, 'history', history);
}
