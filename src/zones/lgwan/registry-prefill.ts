import { prefillRequestV1, prefillV1, relay, type ZoneGateway } from '../gateway/index.ts';

/**
 * lgwan passes a resident's prefill request from the internet zone (sanitized on arrival) on
 * to mynumber, and mynumber's answer back out to the internet zone: each is put in the outbox,
 * in the transaction that records it as received, for the other side to pull (lgwan opens no
 * connection outward). lgwan keeps nothing of its own: no table, no copy of the answer, and
 * the inbox keeps only the relayed message's id as the result. Relayed messages get fresh ids:
 * an id chosen on the internet side never becomes an id in lgwan's outbox.
 *
 * The answer holds personal data (name, address, household): it stays in lgwan's outbox only
 * until the portal acknowledges it, when the outbox empties the envelope (ackOutbox).
 */
export function wireRegistryPrefill(gateway: ZoneGateway): void {
  relay(gateway, prefillRequestV1, 'mynumber');
  relay(gateway, prefillV1, 'internet');
}
