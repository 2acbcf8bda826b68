import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { type HttpApp, MachiError, type TenantScope, type ZoneContext } from '../../../core/index.ts';
import { currentStaff, requireRole, requireTenant } from '../../identity/index.ts';
import type { Procedure } from '../catalogue/load-catalogue.ts';
import { type ProcedureSetting, procedureSettings, storeProcedureSetting } from '../settings/settings.ts';

const LgCodeParams = Type.Object({ lgCode: Type.String({ maxLength: 20 }) });
const note = Type.Object(
  { ja: Type.String({ minLength: 1, maxLength: 2000 }), en: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);
const SettingBody = Type.Object(
  {
    enabled: Type.Boolean(),
    note: Type.Union([note, Type.Null()]),
    _csrf: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export interface SettingsRoutesOptions {
  readonly catalogue: ReadonlyMap<string, Procedure>;
  /** Tells the portal, inside the transaction that changed the setting. */
  // biome-ignore lint/suspicious/noExplicitAny: the caller's transaction.
  publish(trx: Kysely<any>, scope: TenantScope, setting: ProcedureSetting): Promise<unknown>;
}

/**
 * Which procedures the municipality accepts online, and its notes (lgwan): every staff member
 * may read them, administrators change them; each change reaches the portal.
 */
export function registerSettingsRoutes(
  app: HttpApp,
  context: ZoneContext,
  options: SettingsRoutesOptions,
): void {
  const base = '/api/v1/municipalities/:lgCode/procedure-settings';
  app.get(base, { preValidation: requireRole(), schema: { params: LgCodeParams } }, async (request) => {
    const scope = requireTenant(request, request.params.lgCode);
    return { settings: await procedureSettings(context.database.db, scope, options.catalogue) };
  });

  app.put(
    `${base}/:procedureId`,
    {
      preValidation: requireRole('admin'),
      schema: {
        params: Type.Object({
          ...LgCodeParams.properties,
          procedureId: Type.String({ pattern: '^[a-z0-9-]+$', maxLength: 80 }),
        }),
        body: SettingBody,
      },
    },
    async (request) => {
      const scope = requireTenant(request, request.params.lgCode);
      const { procedureId } = request.params;
      if (!options.catalogue.has(procedureId))
        throw new MachiError('not-found', 'No such procedure in the catalogue.');
      const now = context.clock.now();
      const setting = { procedureId, enabled: request.body.enabled, note: request.body.note };
      const version = await context.database.db.transaction().execute(async (trx) => {
        const kept = await storeProcedureSetting(trx, scope, setting, now);
        await options.publish(trx, scope, { ...setting, version: kept });
        await context.audit.append(trx, {
          municipalityCode: scope.municipalityCode,
          actor: `staff:${currentStaff(request).staffId}`,
          action: 'procedures.settings.update',
          target: procedureId,
          outcome: 'success',
          details: { enabled: setting.enabled, note: setting.note !== null, version: kept },
        });
        return kept;
      });
      return { ...setting, version };
    },
  );
}
