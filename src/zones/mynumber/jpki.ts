import { type HttpApp, tenantScope, type ZoneContext } from '../../core/index.ts';
import {
  endCardsOfDeparted,
  type IssuerContext,
  type JpkiIssuerDb,
  type Lazy,
  markCardRequestDelivered,
  markCrlPublished,
  markStatusPublished,
  refreshCrls,
  registerJpkiIssuer,
  storeReceivedCardRequest,
  undeliveredCardRequests,
  unpublishedCrls,
  unpublishedStatuses,
} from '../../modules/jpki/index.ts';
import {
  cardDeliveryV1,
  cardRequestV1,
  certificateStatusV1,
  crlV1,
  derivedMessageId,
  type ZoneGateway,
} from '../gateway/index.ts';

/** How often mynumber follows life events, remakes due CRLs and publishes status changes. */
export const JPKI_INTERVAL_MS = 5_000;

/**
 * Pushes every unacknowledged certificate status and CRL to lgwan, which relays them to
 * the internet zone's OCSP responder. Each message's id is derived from what it says
 * (serial and version, CA and CRL number), so a push retried after a crash is one message.
 */
export async function publishJpki(context: ZoneContext, gateway: ZoneGateway): Promise<number> {
  let sent = 0;
  for (;;) {
    const batch = await unpublishedStatuses(context.database, 100);
    if (batch.length === 0) break;
    for (const record of batch) {
      const { municipalityCode, ...rest } = record;
      await gateway.send('lgwan', certificateStatusV1, {
        id: derivedMessageId(`jpki-status:${record.serialNumber}:${record.version}`),
        municipalityCode: context.served.require(municipalityCode).code,
        payload: { ...rest, reason: rest.reason as never },
      });
      await markStatusPublished(context.database, record);
      sent += 1;
    }
  }
  for (const delivery of await undeliveredCardRequests(context.database)) {
    await gateway.send('lgwan', cardDeliveryV1, {
      id: derivedMessageId(`jpki-card-delivery:${delivery.requestId}`),
      municipalityCode: context.served.require(delivery.municipalityCode).code,
      payload: { requestId: delivery.requestId, certificates: delivery.certificates },
    });
    await markCardRequestDelivered(context.database, delivery.requestId);
    sent += 1;
  }
  for (const crl of await unpublishedCrls(context.database)) {
    await gateway.send('lgwan', crlV1, {
      id: derivedMessageId(`jpki-crl:${crl.kind}:${crl.crlNumber}`),
      municipalityCode: null,
      payload: crl,
    });
    await markCrlPublished(context.database, crl.kind, crl.crlNumber);
    sent += 1;
  }
  return sent;
}

/** One round of mynumber's card upkeep: departed holders, CRLs, publication. */
export async function jpkiUpkeep(context: ZoneContext, gateway: ZoneGateway, issuer: Lazy<IssuerContext>) {
  const ready = await issuer.refresh();
  if (!ready) return { ended: 0, crls: 0, published: 0 };
  let ended = 0;
  for (const code of context.served.codes()) ended += await endCardsOfDeparted(ready, tenantScope(code));
  const crls = (await refreshCrls(ready)).length;
  return { ended, crls, published: await publishJpki(context, gateway) };
}

export async function wireJpkiIssuer(app: HttpApp, context: ZoneContext, gateway: ZoneGateway) {
  const issuer = await registerJpkiIssuer(app, context);
  // Browser cards' requests, pulled from lgwan with everything else it holds for mynumber.
  gateway.handle(cardRequestV1, async (message, trx) => {
    const municipalityCode = context.served.require(message.municipalityCode).code;
    await storeReceivedCardRequest(
      trx as JpkiIssuerDb,
      municipalityCode,
      message.payload,
      context.clock.now(),
    );
    return null;
  });
  gateway.every('jpki upkeep', JPKI_INTERVAL_MS, () => jpkiUpkeep(context, gateway, issuer));
  return issuer;
}
