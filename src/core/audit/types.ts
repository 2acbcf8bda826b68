import type { Kysely, RawBuilder } from 'kysely';
import type { LgCode } from '../tenancy/index.ts';

/** Values an audit entry may carry: ids, counts, flags — never names, addresses or My Numbers. */
export type AuditDetail = string | number | boolean | null;

/**
 * One line of a zone's audit log: who did what to which record, when and why.
 * `target` is an opaque id (a person's internal id, a staff id), never personal data.
 */
export interface AuditEntry {
  /** null for deployment-wide events (e.g. a failed sign-in for an unknown user). */
  readonly municipalityCode: LgCode | null;
  /** e.g. `staff:<uuid>`, `system`, `gateway:lgwan`. */
  readonly actor: string;
  /** Dotted verb, e.g. `staff.sign-in`, `registry.person.read`, `registry.event.move-in`. */
  readonly action: string;
  readonly target?: string | undefined;
  /** Why: the purpose the staff member gave, or the procedure being served. */
  readonly reason?: string | undefined;
  readonly outcome: 'success' | 'failure';
  readonly details?: Readonly<Record<string, AuditDetail>> | undefined;
}

export interface AuditLog {
  /** Appends inside the caller's transaction, so the entry commits (or not) with the change it records. */
  // biome-ignore lint/suspicious/noExplicitAny: any transaction of any module's tables.
  append(trx: Kysely<any>, entry: AuditEntry): Promise<void>;
  /**
   * Appends several entries, in order, inside the caller's transaction: one chain lock, one
   * head read and one insert for all of them (a batch of ledger transfers records its entries so).
   */
  // biome-ignore lint/suspicious/noExplicitAny: any transaction of any module's tables.
  appendMany(trx: Kysely<any>, entries: readonly AuditEntry[]): Promise<void>;
  /**
   * An append taken apart, for a writer that folds it into statements of its own (a ledger
   * batch has a lock statement, a read statement and a write statement: the append then costs
   * it no round trip of its own).
   */
  readonly chain: AuditChainParts;
  /**
   * Appends `entries` in one statement of the caller's own, with the writes they record: one
   * round trip and one commit for both, and the entries commit exactly when those writes do
   * (resident sign-in writes its sessions and their entries so). `write` runs that statement
   * as this process's next writer of the chain, between `record`'s group commits, and says
   * whether it inserted the entries. The statement runs on its own, not in a transaction:
   * once `write` returns, the head it left is taken as committed. It must take `append.lock`
   * before its own writes. The entries are linked after the head this process knows: if
   * another process moved the head, the key on seq refuses the statement (a unique violation,
   * isChainHeadMoved): with `attempts` above 1, `write` runs again on the head read anew, still
   * in this process's turn, until one attempt is left; the last refusal is thrown to the caller,
   * who may then write another way, e.g. in a transaction with `appendMany`.
   *
   * With `pipelined`, `write` sends its statement with Database.pipelined, before it returns
   * its promise, and the next pipelined append of this process does not wait for the answer:
   * it is sent at once, linked to the head this one will leave, and the server runs the two
   * one after the other. If this one does not append (`appended` false, or it throws), those
   * sent after it are refused by the chain's lock, their head not being there
   * (isChainHeadMoved). A pipelined append is tried once, whatever `attempts` says.
   */
  appendWithin<T>(
    entries: readonly AuditEntry[],
    write: (append: ChainAppend) => Promise<{ result: T; appended: boolean }>,
    options?: { readonly attempts?: number; readonly pipelined?: boolean },
  ): Promise<T>;
  /**
   * Runs `work`, which appends the locked way (append, appendMany, or the chain's parts in a
   * transaction of its own), as this process's next writer of the chain: meanwhile no group
   * commit or appendWithin of this process links entries to a head that `work` is about to
   * move (each would be refused, and its writer would go the locked way too, and so on). The
   * head is read again afterwards.
   */
  inTurn<T>(work: () => Promise<T>): Promise<T>;
  /** Appends on its own; resolves once the entry is durable. Used for reads, which have no transaction. */
  record(entry: AuditEntry): Promise<void>;
  /** Waits for entries still being written (at shutdown). */
  flush(): Promise<void>;
}

/** What `appendWithin` gives the caller's statement. */
export interface ChainAppend {
  /**
   * An expression that takes the chain lock, held to the statement's commit. It refuses the
   * statement as a moved head (isChainHeadMoved) if the head the entries link to is gone.
   */
  readonly lock: RawBuilder<unknown>;
  /**
   * An INSERT of the entries, for a data-modifying CTE, that inserts them only where
   * `condition` (a boolean expression of the caller's statement) holds.
   */
  insert(condition: RawBuilder<unknown>): RawBuilder<unknown>;
}

/**
 * The three steps of an append, each to be placed in one of the caller's statements, in
 * this order and in separate statements: a statement's snapshot is taken when it starts,
 * so a head read in the statement that waited for the lock could miss the row its last
 * holder wrote.
 */
export interface AuditChainParts {
  /**
   * An expression that takes the chain lock, held to the transaction's end. Take it after
   * the caller's own row locks (every other writer takes it last) and as late as may be.
   */
  readonly lock: RawBuilder<unknown>;
  /** A scalar subquery: the chain's head as JSON, for `link`; in a statement after the lock's. */
  readonly head: RawBuilder<unknown>;
  /** The entries, each checked (assertAuditable), linked after that head: one JSON parameter for `insert`. */
  link(head: unknown, entries: readonly AuditEntry[]): string;
  /** An INSERT of the linked entries, to run as it is or as a data-modifying CTE. */
  insert(linked: string): RawBuilder<unknown>;
}
