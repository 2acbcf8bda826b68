import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { type HttpApp, MachiError, type TenantScope, type ZoneContext } from '../../core/index.ts';
import { currentStaff, requireRole, requireTenant } from '../identity/index.ts';
import { latestPopulationSnapshot } from './population-snapshots.ts';

const LgCodeParams = Type.Object({ lgCode: Type.String({ maxLength: 20 }) });
const count = Type.Integer({ minimum: 0 });

const PopulationSnapshotSchema = Type.Object({
  municipalityCode: Type.String(),
  asOf: Type.String(),
  computedAt: Type.String(),
  receivedAt: Type.String(),
  total: count,
  bySex: Type.Object({ male: count, female: count, notApplicable: count }),
  byAgeBand: Type.Array(Type.Object({ fromAge: count, toAge: Type.Union([count, Type.Null()]), count })),
});

export interface StatisticsRoutesOptions {
  /**
   * Asks the mynumber zone for fresh counts (the zone puts a message in its
   * gateway outbox inside `trx`). Returns the request's message id.
   */
  // biome-ignore lint/suspicious/noExplicitAny: the caller's transaction.
  requestPopulationRefresh(trx: Kysely<any>, scope: TenantScope): Promise<string>;
}

/** Population statistics for staff in the lgwan zone. Needs the identity module registered first. */
export function registerStatisticsRoutes(
  app: HttpApp,
  context: ZoneContext,
  options: StatisticsRoutesOptions,
): void {
  app.get(
    '/api/v1/municipalities/:lgCode/statistics/population',
    {
      preValidation: requireRole(),
      schema: { params: LgCodeParams, response: { 200: PopulationSnapshotSchema } },
    },
    async (request) => {
      const scope = requireTenant(request, request.params.lgCode);
      const snapshot = await latestPopulationSnapshot(context.database.db, scope);
      if (!snapshot) {
        throw new MachiError(
          'not-found',
          'No population statistics have arrived from the mynumber zone yet.',
        );
      }
      return { municipalityCode: scope.municipalityCode, ...snapshot, byAgeBand: [...snapshot.byAgeBand] };
    },
  );

  app.post(
    '/api/v1/municipalities/:lgCode/statistics/population/refresh',
    {
      preValidation: requireRole(),
      schema: { params: LgCodeParams, response: { 202: Type.Object({ requestId: Type.String() }) } },
    },
    async (request, reply) => {
      const scope = requireTenant(request, request.params.lgCode);
      const staff = currentStaff(request);
      const requestId = await context.database.db.transaction().execute(async (trx) => {
        const id = await options.requestPopulationRefresh(trx, scope);
        await context.audit.append(trx, {
          municipalityCode: scope.municipalityCode,
          actor: `staff:${staff.staffId}`,
          action: 'statistics.population.refresh-request',
          target: id,
          outcome: 'success',
        });
        return id;
      });
      return reply.status(202).send({ requestId });
    },
  );
}
