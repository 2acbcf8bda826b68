import type { HttpApp, ZoneContext } from '../../core/index.ts';
import {
  type JpkiStatusDb,
  markCardRequestSent,
  pruneCardRequests,
  pruneUsedChallenges,
  type ResidentSignInDb,
  registerJpkiRelyingParty,
  storeCardDelivery,
  storeCrl,
  storeStatus,
  unsentCardRequests,
} from '../../modules/jpki/index.ts';
import {
  cardDeliveryV1,
  cardRequestV1,
  certificateStatusV1,
  crlV1,
  derivedMessageId,
  type ZoneGateway,
} from '../gateway/index.ts';

/** How often the internet zone pulls status from lgwan: a revocation reaches sign-in within seconds. */
export const STATUS_PULL_INTERVAL_MS = 2_000;

/**
 * Sends browser cards' requests inward (to lgwan, through the sanitizer), each once:
 * its message id is derived from the request's, and it is marked sent after the receipt.
 */
export async function pushCardRequests(context: ZoneContext, gateway: ZoneGateway): Promise<number> {
  let sent = 0;
  for (const row of await unsentCardRequests(context.database)) {
    await gateway.send('lgwan', cardRequestV1, {
      id: derivedMessageId(`jpki-card-request:${row.request_id}`),
      municipalityCode: context.served.require(row.municipality_code).code,
      payload: {
        requestId: row.request_id,
        code: row.code,
        requests: { auth: row.auth_request, signing: row.signing_request },
        expiresAt: new Date(row.expires_at).toISOString(),
      },
    });
    await markCardRequestSent(context.database, row.request_id, context.clock.now());
    sent += 1;
  }
  return sent;
}

export async function wireJpkiRelyingParty(app: HttpApp, context: ZoneContext, gateway: ZoneGateway) {
  // A new request goes inward at once; if lgwan is unreachable, the periodic push retries.
  const pushSoon = gateway.every('push card requests', STATUS_PULL_INTERVAL_MS, () =>
    pushCardRequests(context, gateway),
  );
  const party = await registerJpkiRelyingParty(app, context, { onCardRequest: pushSoon });
  gateway.handle(cardDeliveryV1, async (message, trx) => {
    await storeCardDelivery(trx as JpkiStatusDb, message.payload, context.clock.now());
    return null;
  });
  gateway.handle(certificateStatusV1, async (message, trx) => {
    await storeStatus(trx as JpkiStatusDb, {
      ...message.payload,
      municipalityCode: message.municipalityCode!,
    });
    return null;
  });
  gateway.handle(crlV1, async (message, trx) => {
    const { crl, ...rest } = message.payload;
    await storeCrl(trx as JpkiStatusDb, { ...rest, der: new Uint8Array(Buffer.from(crl, 'base64')) });
    return null;
  });
  gateway.every('pull lgwan outbox', STATUS_PULL_INTERVAL_MS, async () => {
    await party.refresh();
    return gateway.pull('lgwan', 100);
  });
  gateway.every('prune used challenges and old card requests', 60_000, async () => {
    await pruneUsedChallenges(context.database.db as ResidentSignInDb, context.clock.now());
    await pruneCardRequests(context.database, context.clock.now());
  });
  return party;
}
