import { Type } from 'typebox';
import { type HttpApp, pickLang, t } from '../../../core/index.ts';
import { catalogueBody, procedureBody } from '../portal/catalogue-pages.ts';
import { loadDraft } from '../portal/drafts.ts';
import { portal } from '../portal/texts.ts';
import type { SubmissionContext } from '../submissions/submission-context.ts';
import { registerPortalAssets } from './portal-assets.ts';
import { registerAttachmentPages } from './portal-attachment-routes.ts';
import { registerConfirmPages } from './portal-confirm-routes.ts';
import { registerFeePages } from './portal-fee-routes.ts';
import { registerFilingPages } from './portal-filing-routes.ts';
import { FlowParams } from './portal-flow.ts';
import { pageMunicipality } from './portal-municipality.ts';
import { notFoundPage, type PortalPageOptions, residentOf, sendPage } from './portal-session.ts';
import { registerStepPages } from './portal-step-routes.ts';
import type { Filer } from './submission-routes.ts';

export type { PortalPageOptions, ReceiveAttachment, ReceivedAttachment } from './portal-session.ts';

// Lenient: a hand-made municipality is said beside the select, not refused as JSON.
const MunicipalityParam = Type.Optional(Type.String({ maxLength: 20 }));
const LangParam = Type.Optional(Type.String({ maxLength: 5 }));

/**
 * The resident portal's pages for online procedures (internet zone), server-rendered and
 * working without script except the card's signature: the catalogue (public), the step-by-step
 * form with drafts, attachments through the sanitizer, confirmation and signing, the receipt,
 * the resident's filings with withdrawal, correction and the fee, and the inbox. Every page
 * past the catalogue needs the resident's card session; every POST its CSRF token (`_csrf`).
 */
export function registerPortalProcedurePages(
  app: HttpApp,
  submissions: SubmissionContext,
  filer: Filer,
  options: PortalPageOptions,
): void {
  const context = { ...options, submissions, filer };
  const definitions = [...submissions.catalogue.values()].map((p) => p.definition);

  registerPortalAssets(app);

  app.get(
    '/procedures',
    {
      schema: {
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 100 })),
          municipality: MunicipalityParam,
          lang: LangParam,
        }),
      },
    },
    async (request, reply) => {
      const lang = pickLang(request);
      const query = request.query.q ?? '';
      const resident = await residentOf(filer, request);
      const { municipality, invalid } = await pageMunicipality(context, resident, request.query.municipality);
      return sendPage(request, reply, {
        title: t(lang, portal.catalogue),
        body: catalogueBody(lang, definitions, query, {
          choices: options.served.list(),
          municipality,
          invalid,
          query,
        }),
      });
    },
  );

  app.get(
    '/procedures/:procedureId',
    {
      schema: {
        params: FlowParams,
        querystring: Type.Object({ municipality: MunicipalityParam, lang: LangParam }),
      },
    },
    async (request, reply) => {
      const lang = pickLang(request);
      const procedure = submissions.catalogue.get(request.params.procedureId);
      if (!procedure) return notFoundPage(request, reply);
      // Public, but a signed-in resident is offered their draft, and their municipality decides.
      const resident = await residentOf(filer, request);
      const { municipality } = await pageMunicipality(context, resident, request.query.municipality);
      const draft =
        resident &&
        (await loadDraft(
          submissions.database.db,
          {
            municipalityCode: resident.municipalityCode,
            resident: resident.id,
            procedureId: procedure.definition.id,
          },
          submissions.clock.now(),
        ));
      return sendPage(request, reply, {
        title: t(lang, procedure.definition.name),
        body: procedureBody(lang, {
          definition: procedure.definition,
          signedIn: resident !== undefined,
          hasDraft: draft !== undefined,
          municipality,
        }),
      });
    },
  );

  registerStepPages(app, context);
  registerAttachmentPages(app, context);
  registerConfirmPages(app, context);
  registerFilingPages(app, context);
  registerFeePages(app, context);
}
