import {
  cardDeliveryV1,
  cardRequestV1,
  certificateStatusV1,
  crlV1,
  relay,
  type ZoneGateway,
} from '../gateway/index.ts';

/**
 * lgwan passes certificate status and CRLs from mynumber on to the internet zone: it
 * puts them in its outbox, in the same transaction that records the message as
 * received, for the internet zone to pull. lgwan opens no connection outward.
 */
export function wireJpkiRelay(gateway: ZoneGateway): void {
  relay(gateway, certificateStatusV1, 'internet');
  // A browser card's request (sanitized on arrival from the internet zone) waits for mynumber to pull it.
  relay(gateway, cardRequestV1, 'mynumber');
  relay(gateway, cardDeliveryV1, 'internet');
  // CA-wide: the envelope names no municipality, and neither does the relayed one.
  relay(gateway, crlV1, 'internet');
}
