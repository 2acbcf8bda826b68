import type { Kysely } from 'kysely';
import { MachiError, type TenantScope } from '../../../core/index.ts';
import { accountId, openAccount } from '../ledger/accounts.ts';
import { type LedgerContext, postTransfer, type Transfer } from '../ledger/post-transfer.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';

/** A resident gives points to the municipality (寄附), once per donation id. */
export async function donate(
  db: Kysely<PointsLedgerTables>,
  context: LedgerContext,
  scope: TenantScope,
  donation: { readonly myKeyId: string; readonly donationId: string; readonly amount: number },
): Promise<Transfer> {
  if (!/^[A-Za-z0-9-]{8,64}$/.test(donation.donationId)) {
    throw new MachiError('validation-failed', 'donationId is 8–64 of A–Z, a–z, 0–9 and -.');
  }
  const municipality = await openAccount(db, scope, 'donations', 'municipality', context.clock.now());
  const donor = accountId('resident', donation.myKeyId);
  return postTransfer(
    db,
    context,
    scope,
    {
      transferId: `donation:${donation.myKeyId}:${donation.donationId}`,
      code: 'donation',
      legs: [{ debit: donor, credit: municipality, amount: donation.amount }],
    },
    donor,
  );
}
