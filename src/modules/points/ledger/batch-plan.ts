import { type AuditEntry, assertAuditable, MachiError, type TenantScope } from '../../../core/index.ts';
import {
  type Actor,
  checkRequest,
  fingerprint,
  type Transfer,
  type TransferRequest,
  transferAuditEntry,
} from './post-transfer.ts';

/** One transfer of a batch, and who asked for it. */
export interface BatchItem {
  readonly request: TransferRequest;
  readonly actor: Actor;
}

/** What one transfer of a batch came to: posted (or repeated), or refused with its own error. */
export type BatchOutcome =
  | { readonly ok: true; readonly transfer: Transfer }
  | { readonly ok: false; readonly error: unknown };

/** An account row as locked at the start of the batch. */
export interface LockedAccount {
  readonly noOverdraft: boolean;
  readonly tracksExpiry: boolean;
  debitsPosted: number;
  creditsPosted: number;
  debitsPending: number;
}

/** A lot spendable today, in the order takeFromLots would take it (earliest expiry first). */
export interface OpenLot {
  readonly transferId: string;
  readonly leg: number;
  readonly expiresOn: string | null;
  remaining: number;
  /** Credited by a transfer of this batch: inserted, not updated. */
  readonly isNew?: true;
  readonly amount?: number;
  readonly account?: string;
}

/** A transfer already in the ledger under one of the batch's ids. */
export interface EarlierTransfer {
  readonly sha256: string;
  readonly transfer: Transfer;
}

/** What the batch found in the database, under its locks. */
export interface BatchState {
  readonly accounts: ReadonlyMap<string, LockedAccount>;
  /** Open, spendable lots of the accounts the batch debits that track expiry. */
  readonly lots: ReadonlyMap<string, OpenLot[]>;
  readonly earlier: ReadonlyMap<string, EarlierTransfer>;
  readonly today: string;
}

/** The rows the batch writes, for its transfers that were accepted. */
export interface BatchWrites {
  readonly transfers: {
    transfer_id: string;
    code: string;
    amount: number;
    request_sha256: string;
    details: Readonly<Record<string, string | number | boolean>>;
  }[];
  readonly legs: {
    transfer_id: string;
    leg: number;
    debit_account: string;
    credit_account: string;
    amount: number;
    expires_on: string | null;
  }[];
  readonly accounts: { account_id: string; debits: number; credits: number }[];
  readonly lotTakes: { transfer_id: string; leg: number; taken: number }[];
  readonly newLots: {
    account_id: string;
    transfer_id: string;
    leg: number;
    expires_on: string | null;
    amount: number;
    remaining: number;
  }[];
  readonly lotUses: {
    transfer_id: string;
    leg: number;
    lot_transfer_id: string;
    lot_leg: number;
    amount: number;
  }[];
  readonly audit: AuditEntry[];
}

export interface BatchPlan {
  readonly outcomes: BatchOutcome[];
  readonly writes: BatchWrites;
}

const insufficient = (detail: string) => new MachiError('points-insufficient', detail);

/** Earliest expiry first, never-expiring last, as takeFromLots orders them. */
const expiresBefore = (a: string | null, b: string | null) => a !== null && (b === null || a < b);

/**
 * Decides a batch of posted transfers in order, as postTransfer would decide them one after
 * another: the same id again answers the first (repeated) or is a conflict, an unknown account
 * is `not-found`, an account that may not overdraw refuses what its spendable total does not
 * cover, a debit of an account that tracks expiry takes its earliest-expiring open lots. A
 * refused transfer changes nothing, so those after it see the totals as if it had never come.
 * Pure: mutates only `state`, whose accounts and lots the caller holds locked.
 */
export function planBatch(
  scope: TenantScope,
  items: readonly BatchItem[],
  state: BatchState,
  now: Date,
): BatchPlan {
  const start = new Map([...state.accounts].map(([id, account]) => [id, { ...account }]));
  const lotStart = new Map<OpenLot, number>();
  for (const lots of state.lots.values()) for (const lot of lots) lotStart.set(lot, lot.remaining);
  const earlier = new Map(state.earlier);
  const outcomes: BatchOutcome[] = [];
  const writes: BatchWrites = {
    transfers: [],
    legs: [],
    accounts: [],
    lotTakes: [],
    newLots: [],
    lotUses: [],
    audit: [],
  };
  const newLots: OpenLot[] = [];

  for (const { request, actor } of items) {
    const undo: (() => void)[] = [];
    try {
      checkRequest(request);
      if (request.pending)
        throw new MachiError('validation-failed', 'A batch posts transfers, not reservations.');
      const sha256 = fingerprint(request);
      const seen = earlier.get(request.transferId);
      if (seen) {
        if (seen.sha256 !== sha256) {
          throw new MachiError(
            'conflict',
            `Transfer id ${request.transferId} was used for a different transfer.`,
          );
        }
        outcomes.push({ ok: true, transfer: { ...seen.transfer, repeated: true } });
        continue;
      }
      const amount = request.legs.reduce((sum, leg) => sum + leg.amount, 0);
      // Checked here, not only by the batch's one audit append: an entry the log refuses (a
      // transfer id that looks like a My Number) refuses its own transfer, not the batch.
      const entry = transferAuditEntry(scope, request, actor, amount);
      assertAuditable(entry);
      const uses = applyTransfer(request, state, undo, newLots);
      const transfer: Transfer = {
        transferId: request.transferId,
        code: request.code,
        state: 'posted',
        amount,
        createdAt: now,
        timeoutAt: null,
        repeated: false,
      };
      earlier.set(request.transferId, { sha256, transfer });
      writes.transfers.push({
        transfer_id: request.transferId,
        code: request.code,
        amount,
        request_sha256: sha256,
        details: request.details ?? {},
      });
      for (const [index, leg] of request.legs.entries()) {
        writes.legs.push({
          transfer_id: request.transferId,
          leg: index,
          debit_account: leg.debit,
          credit_account: leg.credit,
          amount: leg.amount,
          expires_on: leg.expiresOn ?? null,
        });
      }
      writes.lotUses.push(...uses);
      writes.audit.push(entry);
      outcomes.push({ ok: true, transfer });
    } catch (error) {
      for (const step of undo.reverse()) step();
      outcomes.push({ ok: false, error });
    }
  }

  for (const [id, account] of state.accounts) {
    const before = start.get(id) as LockedAccount;
    const debits = account.debitsPosted - before.debitsPosted;
    const credits = account.creditsPosted - before.creditsPosted;
    if (debits !== 0 || credits !== 0) writes.accounts.push({ account_id: id, debits, credits });
  }
  for (const lot of newLots) {
    writes.newLots.push({
      account_id: lot.account as string,
      transfer_id: lot.transferId,
      leg: lot.leg,
      expires_on: lot.expiresOn,
      amount: lot.amount as number,
      remaining: lot.remaining,
    });
  }
  for (const [lot, before] of lotStart) {
    const taken = before - lot.remaining;
    if (taken > 0) writes.lotTakes.push({ transfer_id: lot.transferId, leg: lot.leg, taken });
  }
  return { outcomes, writes };
}

/** Applies one transfer to the batch's state, or throws (the caller then runs `undo`). */
function applyTransfer(
  request: TransferRequest,
  state: BatchState,
  undo: (() => void)[],
  newLots: OpenLot[],
): BatchWrites['lotUses'] {
  const changes = new Map<string, { debits: number; credits: number }>();
  for (const leg of request.legs) {
    const debit = changes.get(leg.debit) ?? { debits: 0, credits: 0 };
    debit.debits += leg.amount;
    changes.set(leg.debit, debit);
    const credit = changes.get(leg.credit) ?? { debits: 0, credits: 0 };
    credit.credits += leg.amount;
    changes.set(leg.credit, credit);
  }
  // In account order, as applyTotals checks them: the first account that refuses names the error.
  for (const id of [...changes.keys()].sort()) {
    const account = state.accounts.get(id);
    if (!account) throw new MachiError('not-found', `No points account ${id}.`);
    const change = changes.get(id) as { debits: number; credits: number };
    const spendable = account.creditsPosted - account.debitsPosted - account.debitsPending;
    if (account.noOverdraft && spendable < change.debits - change.credits) {
      throw insufficient(`Not enough points in ${id} for this transfer.`);
    }
  }
  for (const [id, change] of changes) {
    const account = state.accounts.get(id) as LockedAccount;
    const { debitsPosted, creditsPosted } = account;
    account.debitsPosted += change.debits;
    account.creditsPosted += change.credits;
    undo.push(() => {
      account.debitsPosted = debitsPosted;
      account.creditsPosted = creditsPosted;
    });
  }
  const uses: BatchWrites['lotUses'] = [];
  for (const [index, leg] of request.legs.entries()) {
    if (state.accounts.get(leg.debit)?.tracksExpiry) {
      for (const use of takeLots(state.lots.get(leg.debit) ?? [], leg.amount, undo)) {
        uses.push({ transfer_id: request.transferId, leg: index, ...use });
      }
    }
    if (state.accounts.get(leg.credit)?.tracksExpiry) {
      addLot(state, newLots, undo, {
        account: leg.credit,
        transferId: request.transferId,
        leg: index,
        expiresOn: leg.expiresOn ?? null,
        amount: leg.amount,
        remaining: leg.amount,
        isNew: true,
      });
    }
  }
  return uses;
}

/** Takes `amount` from the lots in order, or refuses: points past their expiry cannot be spent. */
function takeLots(lots: readonly OpenLot[], amount: number, undo: (() => void)[]) {
  let left = amount;
  const taking: { lot: OpenLot; taken: number }[] = [];
  for (const lot of lots) {
    if (left === 0) break;
    if (lot.remaining === 0) continue;
    const taken = Math.min(left, lot.remaining);
    taking.push({ lot, taken });
    left -= taken;
  }
  if (left > 0) throw insufficient('Not enough unexpired points for this transfer.');
  for (const { lot, taken } of taking) {
    lot.remaining -= taken;
    undo.push(() => {
      lot.remaining += taken;
    });
  }
  return taking.map(({ lot, taken }) => ({
    lot_transfer_id: lot.transferId,
    lot_leg: lot.leg,
    amount: taken,
  }));
}

/**
 * A credit into an account that tracks expiry becomes a lot, written with what is left of it
 * at the end of the batch. If it is spendable today it joins the account's open lots, after
 * those expiring no later (PostgreSQL orders equal expiries by transfer id under its own
 * collation; which of two lots of the same expiry gives first changes no balance).
 */
function addLot(
  state: BatchState,
  newLots: OpenLot[],
  undo: (() => void)[],
  lot: OpenLot & { account: string },
) {
  newLots.push(lot);
  undo.push(() => newLots.splice(newLots.indexOf(lot), 1));
  if (lot.expiresOn !== null && lot.expiresOn < state.today) return;
  const open = state.lots.get(lot.account);
  // Lots are only read for accounts the batch debits; an account it only credits needs none.
  if (!open) return;
  let at = open.length;
  while (at > 0 && expiresBefore(lot.expiresOn, (open[at - 1] as OpenLot).expiresOn)) at -= 1;
  open.splice(at, 0, lot);
  undo.push(() => open.splice(open.indexOf(lot), 1));
}
