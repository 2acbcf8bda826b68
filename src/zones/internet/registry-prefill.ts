import type { HttpApp, ZoneContext } from '../../core/index.ts';
import { requireResident } from '../../modules/jpki/index.ts';
import {
  type PrefillRoutesOptions,
  prunePrefills,
  registerPrefillRoutes,
  storePrefillAnswer,
} from '../../modules/procedures/index.ts';
import { derivedMessageId, prefillRequestV1, prefillV1, type ZoneGateway } from '../gateway/index.ts';

/** Expired answers (personal data) are deleted this often; they are never served once expired. */
const PRUNE_INTERVAL_MS = 60_000;

/** Pushes a resident's prefill request inward, to lgwan (for the API and the portal's pages alike). */
export function prefillSender(context: ZoneContext, gateway: ZoneGateway): PrefillRoutesOptions['send'] {
  return (resident, request) =>
    gateway.send('lgwan', prefillRequestV1, {
      id: derivedMessageId(`registry-prefill-request:${request.requestId}`),
      municipalityCode: context.served.require(resident.municipalityCode).code,
      payload: { ...request },
    });
}

/**
 * ワンスオンリー on the portal: a signed-in resident asks for their own registry facts and
 * household. The request goes inward at once (to lgwan, sanitized there, left for mynumber to
 * pull); the answer mynumber pushes to lgwan comes back with everything else the internet zone
 * pulls from lgwan's outbox (the card status pull, every few seconds) and is kept for an hour.
 * Only the resident's pseudonym goes in; the My Number never comes out.
 */
export function wireRegistryPrefill(app: HttpApp, context: ZoneContext, gateway: ZoneGateway): void {
  registerPrefillRoutes(app, context, {
    async resident(request) {
      const resident = await requireResident(context, request);
      return { municipalityCode: resident.municipalityCode, subjectId: resident.subjectId };
    },
    send: prefillSender(context, gateway),
  });
  gateway.handle(prefillV1, async (message, trx) => {
    const municipalityCode = context.served.require(message.municipalityCode).code;
    const { requestId, subjectId, ...answer } = message.payload;
    const stored = await storePrefillAnswer(
      trx,
      { municipalityCode, subjectId },
      requestId,
      answer,
      context.clock.now(),
    );
    // The inbox keeps this as the message's result: a flag, never the answer.
    return { stored };
  });
  gateway.every('prune registry prefills', PRUNE_INTERVAL_MS, () =>
    prunePrefills(context.database.db, context.clock.now()),
  );
}
