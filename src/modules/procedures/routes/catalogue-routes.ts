import { Type } from 'typebox';
import { type HttpApp, MachiError } from '../../../core/index.ts';
import type { Procedure } from '../catalogue/load-catalogue.ts';
import type { ProcedureSetting } from '../settings/settings.ts';

const Text = Type.Object({ ja: Type.String(), en: Type.String() });
const Summary = Type.Object({
  id: Type.String(),
  name: Text,
  category: Type.String(),
  level: Type.String(),
  fee: Type.Union([Type.Null(), Type.Object({ amountYen: Type.Integer(), note: Type.Optional(Text) })]),
  standardProcessingDays: Type.Union([Type.Null(), Type.Integer()]),
  signatureRequired: Type.Boolean(),
  /** With ?municipality=: whether that municipality accepts it online, and its note. */
  offered: Type.Optional(Type.Boolean()),
  municipalityNote: Type.Optional(Type.Union([Text, Type.Null()])),
});
const CatalogueQuery = Type.Object(
  { municipality: Type.Optional(Type.String({ maxLength: 20 })) },
  { additionalProperties: false },
);
const Detail = Type.Object({
  ...Summary.properties,
  legalBasis: Text,
  filers: Type.Array(Type.String()),
  attachments: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Text,
      required: Type.Boolean(),
      onceOnly: Type.Optional(Type.Boolean()),
      note: Type.Optional(Text),
    }),
  ),
  prefill: Type.Record(Type.String(), Type.String()),
  schema: Type.Unknown(),
  layout: Type.Unknown(),
});

/**
 * The catalogue, public (internet zone): what can be filed online, and for one procedure its
 * form (JSON Schema), pages, attachments and fee, for the portal and for anyone's client.
 */
export function registerCatalogueRoutes(
  app: HttpApp,
  catalogue: ReadonlyMap<string, Procedure>,
  /** One municipality's settings (the code is checked to be served), for ?municipality=. */
  settingsOf: (municipality: string) => Promise<readonly ProcedureSetting[]>,
): void {
  const offered = async (municipality: string | undefined) =>
    municipality ? new Map((await settingsOf(municipality)).map((s) => [s.procedureId, s])) : undefined;
  const annotate = (procedure: Procedure, settings: Map<string, ProcedureSetting> | undefined) => {
    const setting = settings?.get(procedure.definition.id);
    return setting
      ? { ...procedure.definition, offered: setting.enabled, municipalityNote: setting.note }
      : procedure.definition;
  };
  app.get(
    '/api/v1/procedures',
    { schema: { querystring: CatalogueQuery, response: { 200: Type.Array(Summary) } } },
    async (request) => {
      const settings = await offered(request.query.municipality);
      return [...catalogue.values()].map((procedure) => annotate(procedure, settings));
    },
  );
  app.get(
    '/api/v1/procedures/:procedureId',
    {
      schema: {
        params: Type.Object({ procedureId: Type.String({ maxLength: 80, pattern: '^[a-z0-9-]+$' }) }),
        querystring: CatalogueQuery,
        response: { 200: Detail },
      },
    },
    async (request) => {
      const procedure = catalogue.get(request.params.procedureId);
      if (!procedure) throw new MachiError('not-found', 'No such procedure in the catalogue.');
      return annotate(procedure, await offered(request.query.municipality));
    },
  );
}
