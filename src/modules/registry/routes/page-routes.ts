import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  type HttpApp,
  isMachiError,
  type Lang,
  page,
  pickLang,
  type SafeHtml,
  type Text,
  t,
  type ZoneContext,
} from '../../../core/index.ts';
import { currentStaff, requireRole, staffScope } from '../../identity/index.ts';
import { parseResidentCode } from '../identifiers/index.ts';
import { personPageBody, purposeFormBody } from '../pages/person-page.ts';
import { type SearchForm, searchPageBody } from '../pages/search-page.ts';
import { labels, zoneLabel } from '../pages/texts.ts';
import { isPurpose } from '../purposes.ts';
import { personHistory } from '../queries/person-history.ts';
import { searchPersons } from '../queries/search-persons.ts';
import { readPerson } from '../read-record.ts';
import { registryDb } from '../registry-context.ts';

const PageQuery = Type.Object({
  kana: Type.Optional(Type.String({ maxLength: 100 })),
  name: Type.Optional(Type.String({ maxLength: 100 })),
  birthDate: Type.Optional(Type.String({ maxLength: 40 })),
  address: Type.Optional(Type.String({ maxLength: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  lang: Type.Optional(Type.String({ maxLength: 5 })),
});
const PersonQuery = Type.Object({
  purpose: Type.Optional(Type.String({ maxLength: 40 })),
  lang: Type.Optional(Type.String({ maxLength: 5 })),
});
const PersonParams = Type.Object({ residentCode: Type.String({ maxLength: 20 }) });

const PAGE_SIZE = 50;

function render(
  context: ZoneContext,
  request: FastifyRequest,
  reply: FastifyReply,
  title: Text,
  body: SafeHtml,
  lang: Lang,
) {
  const staff = currentStaff(request);
  const municipality = context.served.require(staff.municipalityCode);
  const markup = page({
    lang,
    title: t(lang, title),
    zoneLabel: t(lang, zoneLabel),
    body,
    nav: [
      { href: '/', label: t(lang, labels.home) },
      { href: '/registry', label: t(lang, labels.registry) },
    ],
    user: {
      displayName: staff.displayName,
      municipalityName: lang === 'en' ? (municipality.nameEn ?? municipality.name) : municipality.name,
      csrfToken: staff.csrfToken,
    },
    // The query is kept so that switching language on a result page keeps the search.
    path: request.url,
  });
  return reply.type('text/html; charset=utf-8').send(markup.toString());
}

/** Staff pages of the registry (mynumber zone, registry clerks): search, then a record behind a purpose. */
export function registerRegistryPages(app: HttpApp, context: ZoneContext): void {
  const db = registryDb(context.database);

  app.get(
    '/registry',
    { preValidation: requireRole('registry-clerk'), schema: { querystring: PageQuery } },
    async (request, reply) => {
      const lang = pickLang(request);
      const { lang: _lang, offset = 0, ...raw } = request.query;
      const form: SearchForm = Object.fromEntries(
        Object.entries(raw).filter(([, value]) => typeof value === 'string' && value.trim() !== ''),
      );
      let result: Awaited<ReturnType<typeof searchPersons>> | undefined;
      let error: { field: keyof SearchForm; message: string } | undefined;
      let nextHref: string | undefined;
      if (Object.keys(form).length > 0) {
        try {
          result = await searchPersons(db, staffScope(request), { ...form, limit: PAGE_SIZE, offset });
          if (result.nextOffset !== null) {
            const params = new URLSearchParams({ ...form, offset: String(result.nextOffset) });
            if (lang === 'en') params.set('lang', 'en');
            nextHref = `/registry?${params}`;
          }
        } catch (caught) {
          if (!isMachiError(caught) || caught.status !== 400) throw caught;
          const field = caught.extensions.field;
          error = {
            field: field === 'name' || field === 'birthDate' || field === 'address' ? field : 'kana',
            message: caught.detail,
          };
        }
      }
      return render(
        context,
        request,
        reply,
        labels.registry,
        searchPageBody(lang, form, result, error, nextHref),
        lang,
      );
    },
  );

  app.get(
    '/registry/residents/:residentCode',
    {
      preValidation: requireRole('registry-clerk'),
      schema: { params: PersonParams, querystring: PersonQuery },
    },
    async (request, reply) => {
      const lang = pickLang(request);
      const residentCode = parseResidentCode(request.params.residentCode);
      const { purpose } = request.query;
      if (!isPurpose(purpose)) {
        const body = purposeFormBody(lang, residentCode, purpose !== undefined);
        return render(
          context,
          request,
          reply.status(purpose === undefined ? 200 : 400),
          labels.purposeTitle,
          body,
          lang,
        );
      }
      const scope = staffScope(request);
      const staff = currentStaff(request);
      const person = await readPerson(context, scope, residentCode, {
        actor: `staff:${staff.staffId}`,
        purpose,
      });
      // The audited read above covers this view; history is part of the same record.
      const history = await personHistory(db, scope, residentCode);
      const body = personPageBody(lang, person, history, purpose, staff.roles.includes('registry-clerk'));
      return render(context, request, reply, labels.person, body, lang);
    },
  );
}
