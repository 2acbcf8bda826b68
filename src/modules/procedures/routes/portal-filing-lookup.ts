import { Type } from 'typebox';
import { myFilings } from '../submissions/my-filings.ts';
import { isCanonicalUuid } from '../uuid.ts';
import type { PortalContext, PortalResident } from './portal-session.ts';

// Checked in the handler: a malformed id is a page saying "not found", not JSON.
export const FilingParams = Type.Object({ submissionId: Type.String({ maxLength: 40 }) });
export const CsrfBody = Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 100 })) });

/** One filing of this resident's, or undefined (another resident's is not found, like an unknown one). */
export async function myFiling(context: PortalContext, resident: PortalResident, submissionId: string) {
  if (!isCanonicalUuid(submissionId)) return undefined;
  const who = { id: resident.id, municipalityCode: resident.municipalityCode };
  const [filing] = await myFilings(context.submissions.database.db, who, submissionId);
  return filing;
}
