// The submit benchmark's zones start on empty databases, but a municipality's portal and back
// office have a history: filings decided long ago. Without one, PostgreSQL plans on nearly
// empty tables, and a plan it keeps (a foreign-key check's, planned once per connection) can
// stay with a sequential scan or an index that leads with municipality_code only while the
// tables grow by thousands of rows a second; autovacuum's next analyze, up to a minute later,
// would mend it. So: HISTORY filings of another procedure (the checks count only the run's own),
// decided and forwarded, with bytes of a filing's size, then `analyze`, as pgbench does after
// its init.
import { query } from './pg-query.ts';

const HISTORY = 20_000;
const PROCEDURE = 'bench-history';
/** About a signed form's size (document and CMS signature), not compressible to nothing. */
const BYTES = `convert_to(repeat(md5(g::text || 'doc'), 40), 'UTF8')`;

export async function seedHistory(urls: { internet: string; lgwan: string }, municipalityCode: string) {
  const started = performance.now();
  await query(
    urls.internet,
    `insert into procedure_submissions (municipality_code, submission_id, receipt_number, procedure_id,
       submitted_by, idempotency_key, document, document_sha256, submitted_at, status)
     select '${municipalityCode}', gen_random_uuid(), 'H' || g, '${PROCEDURE}', 'history-' || (g % 5000),
       gen_random_uuid(), ${BYTES}, md5(g::text) || md5(g::text), now() - interval '1 year', 'approved'
     from generate_series(1, ${HISTORY}) g`,
  );
  await query(
    urls.lgwan,
    `with cases as (
       insert into procedure_cases (municipality_code, submission_id, receipt_number, procedure_id, submitted_by,
         submitted_at, received_at, status, document, attachments, version, updated_at, update_sequence)
       select '${municipalityCode}', gen_random_uuid(), 'H' || g, '${PROCEDURE}', 'history-' || (g % 5000),
         now() - interval '1 year', now() - interval '1 year', 'approved', ${BYTES}, '[]', 1, now(), 1
       from generate_series(1, ${HISTORY}) g
       returning municipality_code, submission_id, submitted_at, document
     ), versions as (
       insert into procedure_case_versions (municipality_code, submission_id, version, submitted_at, received_at,
         document, attachments)
       select municipality_code, submission_id, 1, submitted_at, submitted_at, document, '[]' from cases
     )
     insert into procedure_case_events (municipality_code, submission_id, event_no, at, actor, kind, version)
     select municipality_code, submission_id, 1, submitted_at, 'history', 'received', 1 from cases`,
  );
  await Promise.all([query(urls.internet, 'analyze'), query(urls.lgwan, 'analyze')]);
  return { filings: HISTORY, seconds: +((performance.now() - started) / 1000).toFixed(1) };
}
