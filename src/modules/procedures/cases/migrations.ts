import type { ModuleMigrations } from '../../../core/index.ts';
import { caseStatuses } from './case-status.ts';
import { registryCheckOutcomes } from './registry-checks.ts';
import { caseEventKinds } from './tables.ts';

const list = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');

/**
 * The back office's cases (lgwan zone): one per filing received from the portal. Every
 * version the resident signed is kept as it was filed (補正 makes a new one), with its
 * attachments by upload id (their rebuilt files arrive through the sanitizer's own
 * messages); every step is an event; the case points at its current version and at the
 * day the standard processing period (標準処理期間) ends.
 */
export const caseMigrations: ModuleMigrations = {
  module: 'procedures-cases',
  migrations: [
    {
      id: '001-cases',
      sql: `
        create table procedure_cases (
          municipality_code char(6) not null,
          submission_id uuid not null,
          receipt_number text not null,
          procedure_id text not null,
          submitted_by text not null,
          submitted_at timestamptz not null,
          received_at timestamptz not null,
          due_on date,
          status text not null check (status in (${list(caseStatuses)})),
          document bytea not null,
          signature bytea,
          attachments jsonb not null,
          version integer not null default 1,
          assigned_to uuid,
          updated_at timestamptz not null,
          decided_at timestamptz,
          update_sequence integer not null default 0,
          primary key (municipality_code, submission_id),
          unique (municipality_code, receipt_number)
        );
        create index procedure_cases_queue on procedure_cases (municipality_code, procedure_id, status, due_on);
        create index procedure_cases_assigned on procedure_cases (municipality_code, assigned_to)
          where assigned_to is not null;

        create table procedure_case_versions (
          municipality_code char(6) not null,
          submission_id uuid not null,
          version integer not null check (version >= 1),
          submitted_at timestamptz not null,
          received_at timestamptz not null,
          document bytea not null,
          signature bytea,
          attachments jsonb not null,
          primary key (municipality_code, submission_id, version),
          foreign key (municipality_code, submission_id) references procedure_cases
        );

        create table procedure_case_events (
          municipality_code char(6) not null,
          submission_id uuid not null,
          event_no integer not null,
          at timestamptz not null,
          actor text not null,
          kind text not null check (kind in (${list(caseEventKinds)})),
          version integer not null,
          message text,
          details jsonb not null default '{}',
          primary key (municipality_code, submission_id, event_no),
          foreign key (municipality_code, submission_id) references procedure_cases
        );

        -- The disposition notices (処分通知) as signed and sent: the municipality's own record.
        create table procedure_notices (
          municipality_code char(6) not null,
          notice_id uuid not null,
          submission_id uuid not null,
          title text not null,
          pdf bytea not null,
          issued_at timestamptz not null,
          primary key (municipality_code, notice_id),
          foreign key (municipality_code, submission_id) references procedure_cases
        );
      `,
    },
    {
      // 住基照会: each signed version's signer (the certificate's 基本4情報) checked against the
      // registry in mynumber. Asked when the version arrives, answered when mynumber has pulled
      // the question and pushed the answer; only whether each item agreed is kept, never the
      // registry's values. household_id is mynumber's pseudonym of the 世帯, not its id.
      id: '002-registry-checks',
      sql: `
        create table procedure_registry_checks (
          municipality_code char(6) not null,
          submission_id uuid not null,
          version integer not null,
          check_id uuid not null,
          requested_at timestamptz not null,
          answered_at timestamptz,
          outcome text check (outcome in (${list(registryCheckOutcomes)})),
          fields jsonb,
          checked_at timestamptz,
          as_of date,
          household_id uuid,
          primary key (municipality_code, submission_id, version),
          unique (municipality_code, check_id),
          foreign key (municipality_code, submission_id, version) references procedure_case_versions,
          check ((answered_at is null) = (outcome is null)),
          check ((answered_at is null) = (fields is null))
        );
      `,
    },
    {
      // As the portal's filings (procedures-submissions 003): a case's signed document and
      // signature stay in its row up to 8 KB, not compressed in vain and moved to TOAST.
      id: '003-signed-rows-whole',
      sql: `
        alter table procedure_cases set (toast_tuple_target = 8160);
        alter table procedure_case_versions set (toast_tuple_target = 8160);
      `,
    },
  ],
};
