import type { Kysely } from 'kysely';
import type { LgCode } from '../../../core/index.ts';
import type { SignedDocument } from '../submissions/signed-document.ts';
import type { SubmissionsDb } from '../submissions/tables.ts';

/**
 * The document a filing stands on now (its latest version: the first filing, or its newest
 * correction), the resident's own only: what a correction (補正) starts from.
 */
export async function currentDocument(
  // biome-ignore lint/suspicious/noExplicitAny: the zone's database, of any tables.
  db: Kysely<any>,
  resident: { readonly id: string; readonly municipalityCode: LgCode },
  submissionId: string,
): Promise<SignedDocument | undefined> {
  const submissions = db as SubmissionsDb;
  const filing = await submissions
    .selectFrom('procedure_submissions')
    .select(['document'])
    .where('municipality_code', '=', resident.municipalityCode)
    .where('submission_id', '=', submissionId)
    .where('submitted_by', '=', resident.id)
    .executeTakeFirst();
  if (!filing) return undefined;
  const latest = await submissions
    .selectFrom('procedure_submission_versions')
    .select(['document'])
    .where('municipality_code', '=', resident.municipalityCode)
    .where('submission_id', '=', submissionId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  const bytes = new Uint8Array((latest ?? filing).document);
  return JSON.parse(new TextDecoder().decode(bytes)) as SignedDocument;
}
