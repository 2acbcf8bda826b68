import type { FastifyRequest } from 'fastify';
import { isMachiError } from '../../../core/index.ts';
import { type Draft, loadDraft, prefillDraft } from '../portal/drafts.ts';
import type { FormData } from '../portal/form-schema.ts';
import { registryWanted, whatWasFilled } from '../portal/registry-fill.ts';
import type { RegistryStatus } from '../portal/registry-notice.ts';
import { applyPrefill } from '../prefill/apply-prefill.ts';
import { type PrefillResident, readPrefill, requestPrefill } from '../prefill/prefill-store.ts';
import type { OpenFlow } from './portal-flow.ts';
import type { PortalContext, PortalResident } from './portal-session.ts';

const RESIDENT_PREFIX = 'resident:';

/**
 * The prefill's resident: the portal's filer names a resident `resident:<subject id>` (the
 * auth certificate's), as the prefill table does; anyone else (none today) is not asked for.
 */
function prefillResident(resident: PortalResident): PrefillResident | undefined {
  if (!resident.id.startsWith(RESIDENT_PREFIX)) return undefined;
  return {
    municipalityCode: resident.municipalityCode,
    subjectId: resident.id.slice(RESIDENT_PREFIX.length),
  };
}

/**
 * ワンスオンリー on a step page: for a new filing whose form names registry facts with items
 * still empty, and whose draft has not been prefilled yet, the registry's answer is asked for
 * once (an answer already here — ready for an hour, or pending — is used, not asked again; the
 * store allows one request a minute) and, once it is here, put into the draft's empty items
 * and saved. What the resident typed is never overwritten (applyPrefill fills empty items only,
 * under the draft's row lock). Returns the data to show and where the answer stands, or the
 * draft's data and undefined when there is nothing to say.
 */
export async function registryPrefill(
  context: PortalContext,
  request: FastifyRequest,
  resident: PortalResident,
  open: OpenFlow,
  draft: Draft | undefined,
): Promise<{ data: FormData; status?: RegistryStatus }> {
  const data = draft?.data ?? {};
  const who = prefillResident(resident);
  if (!who || open.correction || draft?.prefilledAt || !registryWanted(open.procedure, data)) return { data };
  const { submissions } = context;
  const state = await readPrefill(submissions.database.db, who, submissions.clock.now());
  if (!state) {
    try {
      await requestPrefill(submissions, who, (inward) => context.prefill.send(who, inward));
      return { data, status: { kind: 'pending' } };
    } catch (error) {
      // Asked a moment ago by another page (two tabs): that request's answer will do.
      if (isMachiError(error) && error.code === 'rate-limited') return { data, status: { kind: 'pending' } };
      if (!isMachiError(error) || error.code === 'internal') throw error;
      request.log.warn({ code: error.code }, 'registry prefill could not be asked');
      return { data, status: { kind: 'unavailable' } };
    }
  }
  if (state.status === 'pending') return { data, status: { kind: 'pending' } };
  const { procedure } = open;
  const filled = await prefillDraft(submissions.database.db, open.key, submissions.clock.now(), (current) =>
    applyPrefill(procedure, state, current),
  );
  // Another page put it in meanwhile: show the draft as it is now.
  if (!filled) {
    const now = await loadDraft(submissions.database.db, open.key, submissions.clock.now());
    return { data: now?.data ?? data };
  }
  if (!state.found || !state.person) return { data: filled.after, status: { kind: 'not-found' } };
  const what = whatWasFilled(procedure, filled.before, filled.after);
  return what.any
    ? { data: filled.after, status: { kind: 'filled', household: what.household } }
    : { data: filled.after };
}

/**
 * Whether the registry's answer is here, not yet in the draft, and would fill an empty item of
 * the step just posted: then 次へ shows the step again, filled, for the resident to check,
 * rather than refusing items the registry can give (or moving on past what it filled unseen).
 */
export async function registryWouldFill(
  context: PortalContext,
  resident: PortalResident,
  open: OpenFlow,
  draft: { readonly data: FormData; readonly prefilledAt: Date | null },
  fields: readonly string[],
): Promise<boolean> {
  const who = prefillResident(resident);
  if (!who || open.correction || draft.prefilledAt) return false;
  const { submissions } = context;
  const state = await readPrefill(submissions.database.db, who, submissions.clock.now());
  if (state?.status !== 'ready' || !state.found) return false;
  const after = applyPrefill(open.procedure, state, draft.data);
  return whatWasFilled(open.procedure, draft.data, after, fields).any;
}
