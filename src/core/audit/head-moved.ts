import { isUniqueViolation } from '../db/index.ts';

/**
 * Whether a statement that appended to the audit chain was refused because another writer
 * took the next seq first (the chain's key, audit_log_pkey): nothing of it was written, and
 * it may be tried again on the head read anew (AuditLog.appendWithin has forgotten the old).
 */
export function isChainHeadMoved(error: unknown): boolean {
  return isUniqueViolation(error) && (error as { constraint?: unknown }).constraint === 'audit_log_pkey';
}
