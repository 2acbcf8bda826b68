import type { TenantScope } from '../../../core/index.ts';
import type { RegistryDb } from '../registry-context.ts';
import type { PersonStatus } from './types.ts';

/**
 * The registry status of each of these persons (resident, moved out, deceased), for
 * other modules that hold person ids and must follow life events (e.g. a card is
 * revoked when its holder moves out or dies). Ids not in the registry are absent.
 */
export async function personStatuses(
  db: RegistryDb,
  scope: TenantScope,
  personIds: readonly string[],
): Promise<Map<string, PersonStatus>> {
  if (personIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('registry_persons')
    .select(['person_id', 'status'])
    .where('municipality_code', '=', scope.municipalityCode)
    .where('person_id', 'in', personIds)
    .execute();
  return new Map(rows.map((row) => [row.person_id, row.status]));
}
