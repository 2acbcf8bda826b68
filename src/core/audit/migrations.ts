import type { ModuleMigrations } from '../db/index.ts';

/**
 * The advisory lock the chain's writers hold to their transaction's end: the chain has one
 * writer at a time, across every process that shares the zone database.
 */
export const CHAIN_LOCK = 7_202_612;

export const auditMigrations: ModuleMigrations = {
  module: 'audit',
  migrations: [
    {
      id: '001-audit-log',
      sql: `
        create table audit_log (
          seq bigint primary key,
          at timestamptz not null,
          municipality_code char(6),
          actor text not null,
          action text not null,
          target text,
          reason text,
          outcome text not null check (outcome in ('success', 'failure')),
          details jsonb not null default '{}',
          prev_hash char(64) not null,
          hash char(64) not null
        );
        create index audit_log_municipality_at on audit_log (municipality_code, at);
        -- Append-only: the database itself refuses to change or remove a row.
        create function audit_log_append_only() returns trigger language plpgsql as $$
        begin
          raise exception 'audit_log is append-only';
        end $$;
        create trigger audit_log_no_update before update or delete on audit_log
          for each row execute function audit_log_append_only();
      `,
    },
    {
      // A writer that links to the head it knows (AuditLog.appendWithin, a group commit) takes
      // the lock and checks here that its head is still there. Another writer that moved the
      // head is refused by the key on seq, but a head that is gone is not: a commit that did not
      // wait for its WAL flush (a points batch's when deferred, any on a server run with
      // synchronous_commit off) is lost whole if the server crashes before the flush, and
      // entries linked after its head would leave a gap in the chain. Refused as the
      // key would refuse them (the same error, isChainHeadMoved), they are linked anew. Volatile
      // and in a function, so that the check reads with a snapshot taken after the lock: the
      // statement's own was taken before, and could miss the row the lock's last holder wrote.
      id: '002-chain-lock-after-head',
      sql: `
        create function audit_chain_lock_after(head_seq bigint, head_hash text) returns void
          language plpgsql volatile as $$
        begin
          perform pg_advisory_xact_lock(${CHAIN_LOCK});
          if head_seq > 0 and not exists (select 1 from audit_log where seq = head_seq and hash = head_hash) then
            raise unique_violation using message = 'the audit chain''s head is gone', constraint = 'audit_log_pkey';
          end if;
        end $$;
      `,
    },
  ],
};
