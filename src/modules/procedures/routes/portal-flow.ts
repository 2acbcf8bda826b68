import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { pickLang, t } from '../../../core/index.ts';
import type { Procedure } from '../catalogue/load-catalogue.ts';
import type { DraftKey } from '../portal/drafts.ts';
import type { Flow } from '../portal/flow.ts';
import { notOfferedBody, offered, offerTexts } from '../portal/offer-pages.ts';
import type { CorrectionAsked } from '../portal/step-page.ts';
import { myFilings } from '../submissions/my-filings.ts';
import { isCanonicalUuid } from '../uuid.ts';
import { pageMunicipality } from './portal-municipality.ts';
import {
  notFoundPage,
  type PortalContext,
  type PortalResident,
  procedureOf,
  sendPage,
  signedInResident,
} from './portal-session.ts';

export const FlowParams = Type.Object({
  procedureId: Type.String({ maxLength: 80, pattern: '^[a-z0-9-]+$' }),
});
// Lenient: a hand-made URL with a bad step or id is a page saying so, not a JSON error.
export const FlowQuery = Type.Object({
  step: Type.Optional(Type.String({ maxLength: 4 })),
  correction: Type.Optional(Type.String({ maxLength: 40 })),
  saved: Type.Optional(Type.String({ maxLength: 4 })),
  uploaded: Type.Optional(Type.String({ maxLength: 80 })),
  lang: Type.Optional(Type.String({ maxLength: 5 })),
});

export interface OpenFlow {
  readonly procedure: Procedure;
  readonly flow: Flow;
  readonly key: DraftKey;
  /** For a correction: what the office asked. */
  readonly correction?: CorrectionAsked | undefined;
}

/**
 * Whether the resident's municipality accepts the procedure online; if it has turned it off,
 * a page says so (with its note) and false is returned. 404, as the filing API answers
 * (settings.ts notOffered): for this resident there is no such form to fill. The draft,
 * if any, is kept, should the municipality turn it on again.
 */
async function offeredHere(
  context: PortalContext,
  request: FastifyRequest,
  reply: FastifyReply,
  resident: PortalResident,
  procedure: Procedure,
): Promise<boolean> {
  const { municipality } = await pageMunicipality(context, resident, undefined);
  if (!municipality || offered(municipality, procedure.definition.id)) return true;
  const lang = pickLang(request);
  await sendPage(request, reply, {
    title: t(lang, offerTexts.notOfferedTitle),
    body: notOfferedBody(lang, procedure.definition, municipality),
    status: 404,
  });
  return false;
}

/**
 * The form a request is about: a procedure of the catalogue its resident's municipality
 * accepts online, and for a correction (補正) one of the resident's own filings of it that
 * waits for one — a correction the office asked for is answered even if the procedure has
 * been turned off since. Anything else is answered here (404, or back to the filing when no
 * correction is asked any more) and undefined returned.
 */
export async function openFlow(
  context: PortalContext,
  request: FastifyRequest,
  reply: FastifyReply,
  resident: PortalResident,
  procedureId: string,
  correctionOf: string | undefined,
): Promise<OpenFlow | undefined> {
  const procedure = procedureOf(context, procedureId);
  if (!procedure) {
    await notFoundPage(request, reply);
    return undefined;
  }
  const who = { id: resident.id, municipalityCode: resident.municipalityCode };
  const key = {
    municipalityCode: resident.municipalityCode,
    resident: resident.id,
    procedureId,
    correctionOf,
  };
  if (correctionOf === undefined) {
    if (!(await offeredHere(context, request, reply, resident, procedure))) return undefined;
    return { procedure, flow: { procedureId }, key };
  }
  const [filing] = isCanonicalUuid(correctionOf)
    ? await myFilings(context.submissions.database.db, who, correctionOf)
    : [];
  if (!filing || filing.procedureId !== procedureId) {
    await notFoundPage(request, reply);
    return undefined;
  }
  if (filing.status !== 'correction-requested') {
    await reply.redirect(`/submissions/${filing.submissionId}`, 303);
    return undefined;
  }
  return {
    procedure,
    flow: { procedureId, correctionOf },
    key,
    correction: { message: filing.message, fields: filing.fields },
  };
}

/** A request to a page of the form: its procedure in the path, a correction's filing in the query. */
type FlowRequest = FastifyRequest & {
  readonly params: { readonly procedureId: string };
  readonly query: { readonly correction?: string | undefined };
};

/**
 * How every page of the form starts: the signed-in resident (else to sign in, then back to
 * `next`) and the form the request is about (openFlow). Undefined when the reply has been sent.
 */
export async function openFlowPage(
  context: PortalContext,
  request: FlowRequest,
  reply: FastifyReply,
  next: string = request.url,
): Promise<{ readonly resident: PortalResident; readonly open: OpenFlow } | undefined> {
  const resident = await signedInResident(context, request, reply, next);
  if (!resident) return undefined;
  const { procedureId } = request.params;
  const open = await openFlow(context, request, reply, resident, procedureId, request.query.correction);
  return open && { resident, open };
}

/** The step asked for (1-based in the URL), within the procedure's steps. */
export function stepIndex(procedure: Procedure, step: string | undefined): number {
  const n = Number(step ?? '1');
  const last = procedure.definition.layout.steps.length - 1;
  return Number.isInteger(n) ? Math.min(Math.max(n - 1, 0), last) : 0;
}
