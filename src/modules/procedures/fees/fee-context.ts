import type { AuditLog, Clock, Database } from '../../../core/index.ts';
import type { PaymentProvider } from './payment-provider.ts';

/** How patiently to ask the provider again when it is unavailable (`payment-unavailable`). */
export interface RetryPolicy {
  /** Calls in all, the first included. */
  readonly attempts: number;
  /** Wait before the second call; doubled before each further one. */
  readonly baseDelayMs: number;
  /** A call not answered by then counts as unavailable (it may still act: the key makes that safe). */
  readonly timeoutMs: number;
}

/** Suits a resident waiting on a page: three tries within about ten seconds each. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 250, timeoutMs: 10_000 };

/** What the fee functions need: the zone's database, audit log and clock, and the payment provider. */
export interface FeeContext {
  readonly database: Database;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly provider: PaymentProvider;
  readonly retry?: RetryPolicy;
}
