import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * The municipal points ledger (internet zone), double-entry in integer points (1 pt = 1 yen).
 *
 * points_accounts: one row per account, holding its running totals the way TigerBeetle keeps
 *   them: posted and pending debits and credits. Balance = credits_posted − debits_posted;
 *   what can be spent = balance − debits_pending. `no_overdraft` accounts (residents, budgets,
 *   merchants) refuse any transfer that would take that below zero, checked in the same UPDATE
 *   that changes the totals, so concurrent spenders can never overdraw.
 * points_transfers: immutable record of each transfer under its client-chosen id (a retry
 *   finds the first one); `request_sha256` tells a retry from a different transfer reusing an id.
 *   Two-phase transfers start `pending` with a timeout and end `posted`, `voided` or `expired`.
 * points_legs: the debit/credit pairs of a transfer, committed together (multi-leg). Their
 *   accounts are checked by the writers, which lock them first, not by foreign keys (004),
 *   and each is written with its transfer, in its transaction (005).
 * points_lots: points credited to an account that tracks expiry, each with its expiry date;
 *   spending takes the earliest-expiring lots first (points_lot_uses records which), and the
 *   expiry job moves what is left of an expired lot to the municipality's expiry account.
 */
export const pointsLedgerMigrations: ModuleMigrations = {
  module: 'points-ledger',
  migrations: [
    {
      id: '001-ledger',
      sql: `
        create table points_accounts (
          municipality_code char(6) not null,
          account_id text not null,
          kind text not null,
          no_overdraft boolean not null,
          tracks_expiry boolean not null,
          debits_posted bigint not null default 0,
          credits_posted bigint not null default 0,
          debits_pending bigint not null default 0,
          credits_pending bigint not null default 0,
          created_at timestamptz not null,
          primary key (municipality_code, account_id),
          check (debits_posted >= 0 and credits_posted >= 0 and debits_pending >= 0 and credits_pending >= 0),
          check (not no_overdraft or credits_posted - debits_posted - debits_pending >= 0)
        );

        create table points_transfers (
          municipality_code char(6) not null,
          transfer_id text not null,
          code text not null,
          state text not null check (state in ('posted', 'pending', 'voided', 'expired')),
          amount bigint not null check (amount > 0),
          request_sha256 char(64) not null,
          details jsonb not null,
          created_at timestamptz not null,
          timeout_at timestamptz,
          settled_at timestamptz,
          primary key (municipality_code, transfer_id)
        );
        create index points_transfers_pending on points_transfers (timeout_at) where state = 'pending';

        create table points_legs (
          municipality_code char(6) not null,
          transfer_id text not null,
          leg smallint not null,
          debit_account text not null,
          credit_account text not null,
          amount bigint not null check (amount > 0),
          -- For a credit into an account that tracks expiry: the lot's expiry (null: never).
          expires_on date,
          primary key (municipality_code, transfer_id, leg),
          foreign key (municipality_code, transfer_id) references points_transfers (municipality_code, transfer_id),
          foreign key (municipality_code, debit_account) references points_accounts (municipality_code, account_id),
          foreign key (municipality_code, credit_account) references points_accounts (municipality_code, account_id)
        );
        create index points_legs_debit on points_legs (municipality_code, debit_account);
        create index points_legs_credit on points_legs (municipality_code, credit_account);

        create table points_lots (
          municipality_code char(6) not null,
          account_id text not null,
          transfer_id text not null,
          leg smallint not null,
          expires_on date,
          amount bigint not null check (amount > 0),
          remaining bigint not null check (remaining >= 0 and remaining <= amount),
          primary key (municipality_code, transfer_id, leg),
          foreign key (municipality_code, account_id) references points_accounts (municipality_code, account_id)
        );
        create index points_lots_open on points_lots (municipality_code, account_id, expires_on)
          where remaining > 0;

        create table points_lot_uses (
          municipality_code char(6) not null,
          transfer_id text not null,
          leg smallint not null,
          lot_transfer_id text not null,
          lot_leg smallint not null,
          amount bigint not null check (amount > 0),
          primary key (municipality_code, transfer_id, leg, lot_transfer_id, lot_leg)
        );
      `,
    },
    {
      // A batch written in one statement (postBatchIfUnchanged) calls this when what it wrote
      // differs from its plan: the error undoes the whole statement. Volatile, so that it runs
      // only when reached.
      id: '002-batch-refused',
      sql: `
        create function points_batch_refused(detail text) returns boolean language plpgsql volatile as $$
        begin
          raise exception 'points batch refused: %', detail using errcode = '40001';
        end $$;
      `,
    },
    {
      // Every payment takes from a lot: a new `remaining`. The open-lots index's predicate named
      // that column, and PostgreSQL updates a row in place (HOT: no new index entries, old
      // versions pruned as the page is read) only when no index's columns or predicate change.
      // So each payment added an entry to both of the lots' indexes, and a resident's lot kept
      // every version it had (in the points benchmark, 92,000 dead rows under 200 lots, walked
      // by each batch's read). An index of all lots instead: a read passes over spent ones too.
      id: '003-lots-updated-in-place',
      sql: `
        drop index points_lots_open;
        create index points_lots_by_account on points_lots (municipality_code, account_id, expires_on);
      `,
    },
    {
      // A leg's two accounts were checked by foreign keys: for each payment, at the end of its
      // batch's write (which holds the shop's row and the chain's lock meanwhile), two lookups
      // and two row locks, each lock a WAL record. Every writer already locks the accounts a
      // transfer names before it writes, and refuses one that is not there (a batch's write
      // counts the rows it locked); accounts are never deleted. Without the two keys a batch of
      // 32 payments took 9–11 % less time (a scratch script, alternating databases). The
      // reconciliation reports a leg whose account is not there.
      id: '004-leg-accounts-checked-by-writers',
      sql: `
        alter table points_legs
          drop constraint points_legs_municipality_code_debit_account_fkey,
          drop constraint points_legs_municipality_code_credit_account_fkey;
      `,
    },
    {
      // The last key of a leg, its transfer: one lookup and one row lock a payment at the end
      // of its batch's write, while the batch holds the shop's row and the chain's lock, so
      // that every batch of the process waits for it. Every writer inserts a transfer's legs
      // with the transfer, in its transaction; a batch's write counts the transfers it
      // inserted and undoes itself if one was not; transfers are never deleted. Without the key,
      // batches of 16 payments took 3–5 % less time and batches of 32 9–15 % (a scratch
      // script, alternating databases). The reconciliation counts legs whose transfer is not
      // there.
      id: '005-leg-transfers-checked-by-writers',
      sql: `
        alter table points_legs drop constraint points_legs_municipality_code_transfer_id_fkey;
      `,
    },
    {
      // A payment batch commits without waiting for its WAL flush, and is answered after a
      // later commit that waits (deferred-flush.ts). Each process's epoch is a row here: an
      // unlogged table is emptied by crash recovery, so a row still there proves that no crash
      // (which loses commits not yet flushed) came since it was inserted. Not tenant data.
      id: '006-flush-epochs',
      sql: `
        create unlogged table points_flush_epochs (
          epoch uuid primary key,
          began_at timestamptz not null default now()
        );
      `,
    },
    {
      // The dashboard's figures count transfers by the day they posted, a few days at a time,
      // while the table holds every day there has been: without an index each count read the
      // whole table. A block-range index keeps each range of pages' earliest and latest time,
      // and transfers are written about in the order they post, so a count reads the recent
      // pages only. It is a few pages in all, and a payment's insert into a page not yet summarized
      // (the table's end) costs it nothing.
      id: '007-transfers-by-posting-time',
      sql: `
        create index points_transfers_posted_at on points_transfers
          using brin ((coalesce(settled_at, created_at)));
      `,
    },
  ],
};
