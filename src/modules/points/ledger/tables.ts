import type { Generated, Kysely } from 'kysely';

export interface PointsAccountsTable {
  municipality_code: string;
  account_id: string;
  kind: string;
  no_overdraft: boolean;
  tracks_expiry: boolean;
  debits_posted: Generated<number>;
  credits_posted: Generated<number>;
  debits_pending: Generated<number>;
  credits_pending: Generated<number>;
  created_at: Date;
}

export interface PointsTransfersTable {
  municipality_code: string;
  transfer_id: string;
  code: string;
  state: 'posted' | 'pending' | 'voided' | 'expired';
  amount: number;
  request_sha256: string;
  details: Record<string, string | number | boolean>;
  created_at: Date;
  timeout_at: Date | null;
  settled_at: Date | null;
}

export interface PointsLegsTable {
  municipality_code: string;
  transfer_id: string;
  leg: number;
  debit_account: string;
  credit_account: string;
  amount: number;
  expires_on: string | null;
}

export interface PointsLotsTable {
  municipality_code: string;
  account_id: string;
  transfer_id: string;
  leg: number;
  expires_on: string | null;
  amount: number;
  remaining: number;
}

export interface PointsLotUsesTable {
  municipality_code: string;
  transfer_id: string;
  leg: number;
  lot_transfer_id: string;
  lot_leg: number;
  amount: number;
}

export interface PointsLedgerTables {
  points_accounts: PointsAccountsTable;
  points_transfers: PointsTransfersTable;
  points_legs: PointsLegsTable;
  points_lots: PointsLotsTable;
  points_lot_uses: PointsLotUsesTable;
}

export type PointsLedgerDb = Kysely<PointsLedgerTables>;
