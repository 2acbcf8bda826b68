import { type HttpApp, tenantScope, type ZoneContext } from '../../core/index.ts';
import { type Lazy, type RelyingParty, requireResident } from '../../modules/jpki/index.ts';
import { registerMyKeyRoutes } from '../../modules/mykey/index.ts';

/** The MyKey platform in the internet zone: facility cards, and facilities' card readers. */
export function wireMyKey(app: HttpApp, context: ZoneContext, party: Lazy<RelyingParty>): void {
  registerMyKeyRoutes(app, {
    db: context.database.db,
    clock: context.clock,
    audit: context.audit,
    resident: async (request) => {
      const resident = await requireResident(context, request);
      return { scope: tenantScope(resident.municipalityCode), subjectId: resident.subjectId };
    },
    cards: () => party.current(),
  });
}
