import type { Kysely } from 'kysely';
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
  /** Appends on its own; resolves once the entry is durable. Used for reads, which have no transaction. */
  record(entry: AuditEntry): Promise<void>;
  /** Waits for entries still being written (at shutdown). */
  flush(): Promise<void>;
}
