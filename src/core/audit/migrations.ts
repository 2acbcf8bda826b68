import type { ModuleMigrations } from '../db/index.ts';

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
  ],
};
