import { isMachiError, type Municipality, tenantScope } from '../../../core/index.ts';
import { type MunicipalityView, municipalityLabel } from '../portal/offer-pages.ts';
import { procedureSettings } from '../settings/settings.ts';
import type { PortalContext, PortalResident } from './portal-session.ts';

async function viewOf(
  context: PortalContext,
  municipality: Municipality,
  signedIn: boolean,
): Promise<MunicipalityView> {
  const { submissions } = context;
  const settings = await procedureSettings(
    submissions.database.db,
    tenantScope(municipality.code),
    submissions.catalogue,
  );
  return {
    code: municipality.code,
    name: municipalityLabel(municipality),
    signedIn,
    settings: new Map(settings.map((setting) => [setting.procedureId, setting])),
  };
}

/**
 * Whose settings a catalogue page follows: a signed-in resident's own municipality (they can
 * file nowhere else; a `?municipality=` is ignored), else the one a visitor chose on
 * /procedures if it is served here. A code that is not (or is no code) is `invalid`: the page
 * says so beside the select rather than answering with a JSON problem.
 */
export async function pageMunicipality(
  context: PortalContext,
  resident: PortalResident | undefined,
  chosen: string | undefined,
): Promise<{ municipality?: MunicipalityView; invalid: boolean }> {
  if (resident) {
    return {
      municipality: await viewOf(context, context.served.require(resident.municipalityCode), true),
      invalid: false,
    };
  }
  if (!chosen) return { invalid: false };
  try {
    return { municipality: await viewOf(context, context.served.require(chosen), false), invalid: false };
  } catch (error) {
    if (isMachiError(error) && error.code !== 'internal') return { invalid: true };
    throw error;
  }
}
