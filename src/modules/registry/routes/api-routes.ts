import type { FastifyRequest } from 'fastify';
import type { HttpApp, TenantScope, ZoneContext } from '../../../core/index.ts';
import { currentStaff, requireRole, requireTenant } from '../../identity/index.ts';
import { parseResidentCode } from '../identifiers/index.ts';
import { residenceOn, residentsAt } from '../queries/residence-on.ts';
import { searchPersons } from '../queries/search-persons.ts';
import { readHistory, readPerson } from '../read-record.ts';
import { registryDb } from '../registry-context.ts';
import { recordLifeEvent, subjectResidentCode } from './record-event.ts';
import {
  EventResultSchema,
  HistorySchema,
  LifeEventBody,
  MunicipalityParams,
  PersonRecordSchema,
  PurposeQuery,
  ResidenceOnSchema,
  ResidenceQuery,
  ResidencesQuery,
  ResidentParams,
  ResidentsAtSchema,
  SearchQuery,
  SearchResultSchema,
} from './schemas.ts';

const BASE = '/api/v1/municipalities/:lgCode';
const readers = ['registry-clerk', 'case-worker'] as const;

/**
 * The tenant of a request, checked in this order: a malformed code is 400, a code this
 * deployment does not serve 404, another municipality's code 403 — before any data is read.
 */
function tenantOf(context: ZoneContext, request: FastifyRequest, lgCode: string): TenantScope {
  context.served.require(lgCode);
  return requireTenant(request, lgCode);
}

const actorOf = (request: FastifyRequest) => `staff:${currentStaff(request).staffId}`;

/** The resident registry's JSON API (mynumber zone). Every record view is audited with its purpose. */
export function registerRegistryApi(app: HttpApp, context: ZoneContext): void {
  const db = registryDb(context.database);

  app.get(
    `${BASE}/residents`,
    {
      preValidation: requireRole(...readers),
      schema: { params: MunicipalityParams, querystring: SearchQuery, response: { 200: SearchResultSchema } },
    },
    async (request) => searchPersons(db, tenantOf(context, request, request.params.lgCode), request.query),
  );

  app.get(
    `${BASE}/residences`,
    {
      preValidation: requireRole(...readers),
      schema: {
        params: MunicipalityParams,
        querystring: ResidencesQuery,
        response: { 200: ResidentsAtSchema },
      },
    },
    async (request) => {
      const scope = tenantOf(context, request, request.params.lgCode);
      const { address, on, limit, offset } = request.query;
      return residentsAt(db, scope, address, on, { limit, offset });
    },
  );

  app.get(
    `${BASE}/residents/:residentCode`,
    {
      preValidation: requireRole(...readers),
      schema: { params: ResidentParams, querystring: PurposeQuery, response: { 200: PersonRecordSchema } },
    },
    async (request) => {
      const scope = tenantOf(context, request, request.params.lgCode);
      const staff = currentStaff(request);
      const person = await readPerson(context, scope, request.params.residentCode, {
        actor: actorOf(request),
        purpose: request.query.purpose,
      });
      // Careful: the 個人番号 goes only to a registry clerk, whose work needs it.
      if (staff.roles.includes('registry-clerk')) return person;
      const { myNumber: _omitted, ...withoutNumber } = person;
      return withoutNumber;
    },
  );

  app.get(
    `${BASE}/residents/:residentCode/history`,
    {
      preValidation: requireRole(...readers),
      schema: { params: ResidentParams, querystring: PurposeQuery, response: { 200: HistorySchema } },
    },
    async (request) => {
      const scope = tenantOf(context, request, request.params.lgCode);
      return readHistory(context, scope, request.params.residentCode, {
        actor: actorOf(request),
        purpose: request.query.purpose,
      });
    },
  );

  app.get(
    `${BASE}/residents/:residentCode/residence`,
    {
      preValidation: requireRole(...readers),
      schema: { params: ResidentParams, querystring: ResidenceQuery, response: { 200: ResidenceOnSchema } },
    },
    async (request) => {
      const scope = tenantOf(context, request, request.params.lgCode);
      const residentCode = parseResidentCode(request.params.residentCode);
      const { on, purpose } = request.query;
      const found = await residenceOn(db, scope, residentCode, on);
      await context.audit.record({
        municipalityCode: scope.municipalityCode,
        actor: actorOf(request),
        action: 'registry.person.read',
        target: found.personId,
        reason: purpose,
        outcome: 'success',
        details: { view: 'residence' },
      });
      return { residentCode, on, residence: found.residence };
    },
  );

  app.post(
    `${BASE}/residents/events`,
    {
      preValidation: requireRole('registry-clerk'),
      schema: { params: MunicipalityParams, body: LifeEventBody, response: { 201: EventResultSchema } },
    },
    async (request, reply) => {
      const scope = tenantOf(context, request, request.params.lgCode);
      const result = await recordLifeEvent(context, scope, actorOf(request), request.body);
      return reply.status(201).send({ ...result, residentCode: subjectResidentCode(request.body) });
    },
  );
}
