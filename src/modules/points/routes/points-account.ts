import type { Kysely } from 'kysely';
import type { TenantScope } from '../../../core/index.ts';
import { type MyKeyDb, setUpMyKeyId } from '../../mykey/index.ts';
import { openAccount } from '../ledger/accounts.ts';
import type { LedgerContext } from '../ledger/post-transfer.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';

/**
 * Sets up the resident's MyKey ID and opens its points account (or answers the ones made
 * before), recording a new one in the audit log: what the API and the page both do.
 */
export async function setUpPointsAccount(
  context: LedgerContext & { readonly db: Kysely<unknown> },
  scope: TenantScope,
  subjectId: string,
): Promise<{ myKeyId: string; created: boolean }> {
  const now = context.clock.now();
  const result = await setUpMyKeyId(context.db as MyKeyDb, scope, subjectId, now);
  await openAccount(context.db as Kysely<PointsLedgerTables>, scope, 'resident', result.myKeyId, now);
  if (result.created) {
    await context.audit.record({
      municipalityCode: scope.municipalityCode,
      actor: `resident:${result.myKeyId}`,
      action: 'mykey.set-up',
      target: result.myKeyId,
      outcome: 'success',
    });
  }
  return result;
}
