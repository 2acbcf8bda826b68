export { createAuditLog } from './audit-log.ts';
export { type AuditRow, GENESIS_HASH, hashRow } from './chain.ts';
export { assertAuditable } from './guard.ts';
export { isChainHeadMoved } from './head-moved.ts';
export { auditMigrations } from './migrations.ts';
export { type AuditLogRow, MAX_TAIL, readAuditTail } from './tail.ts';
export type { AuditChainParts, AuditDetail, AuditEntry, AuditLog, ChainAppend } from './types.ts';
export {
  type AuditChainHead,
  type AuditChainProblem,
  type AuditChainProblemKind,
  type AuditChainReport,
  parseChainHead,
  type VerifyAuditChainOptions,
  verifyAuditChain,
} from './verify.ts';
