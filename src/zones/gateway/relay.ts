import type { TSchema } from 'typebox';
import type { ZoneName } from '../../core/index.ts';
import type { MessageType } from './message-type.ts';
import type { ZoneGateway } from './zone-gateway.ts';

/**
 * lgwan passes a message on to a zone that pulls from it: the message goes into its outbox
 * unchanged (a fresh id), in the same transaction that records it as received. The relay
 * keeps nothing of its own; the inbox result names the relayed id.
 */
export function relay<S extends TSchema>(gateway: ZoneGateway, type: MessageType<S>, to: ZoneName): void {
  gateway.handle(type, async (message, trx) => {
    const id = await gateway.enqueue(trx, to, type, {
      municipalityCode: message.municipalityCode,
      payload: message.payload,
    });
    return { relayed: id };
  });
}
