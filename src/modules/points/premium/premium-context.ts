import type { PaymentProvider, RetryPolicy } from '../../procedures/index.ts';
import type { LedgerContext } from '../ledger/post-transfer.ts';

/** What a premium purchase needs: the ledger's audit and clock, and the payment provider (決済代行). */
export interface PremiumContext extends LedgerContext {
  readonly provider: PaymentProvider;
  readonly retry?: RetryPolicy;
}
