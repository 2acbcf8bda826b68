import { type RawBuilder, sql } from 'kysely';

/**
 * Whether a filing went inward to the back office, for the procedure_submissions row named
 * `filing` in the query: it is neither waiting to go (procedure_submissions_unsent, see
 * migration 004) nor refused there (forward_error).
 */
export function sentOf(filing: string): RawBuilder<boolean> {
  const column = (name: string) => sql.ref(`${filing}.${name}`);
  return sql<boolean>`(${column('forward_error')} is null and not exists (
    select from procedure_submissions_unsent u
    where u.municipality_code = ${column('municipality_code')} and u.submission_id = ${column('submission_id')}))`;
}
