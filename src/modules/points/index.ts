// The points module's door: the municipal points ledger (自治体ポイント), double-entry and exact.
export {
  type AccountKind,
  accountId,
  accountKinds,
  type Balance,
  balanceOf,
  openAccount,
} from './ledger/accounts.ts';
export { expirePoints } from './ledger/expire-points.ts';
export { pointsLedgerMigrations } from './ledger/migrations.ts';
export {
  type Actor,
  type LedgerContext,
  postTransfer,
  type Transfer,
  type TransferCode,
  type TransferLeg,
  type TransferRequest,
  transferCodes,
} from './ledger/post-transfer.ts';
export { type Mismatch, type Reconciliation, reconcileLedger } from './ledger/reconcile.ts';
export { expireReservations, settlePending } from './ledger/settle-pending.ts';
export type { PointsLedgerDb, PointsLedgerTables } from './ledger/tables.ts';
