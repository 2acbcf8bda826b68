import { MachiError, type ZoneName } from '../../core/index.ts';

/**
 * The only ways a message may cross between zones (三層の対策). A pair of zones
 * shares one key; a pair with no key has no channel at all: there is no
 * internet ↔ mynumber key, so nothing on the internet side can sign a message
 * the mynumber zone (or lgwan on its behalf) would accept.
 */
export type KeyPair = 'internet-lgwan' | 'lgwan-mynumber';

/** `push`: the sender connects to the receiver. `pull`: the receiver connects and fetches from the sender's outbox. */
export type Delivery = 'push' | 'pull';

export interface Channel {
  readonly from: ZoneName;
  readonly to: ZoneName;
  readonly delivery: Delivery;
  readonly key: KeyPair;
}

export const channels: readonly Channel[] = [
  // Residents' input flows inward; every such message passes the sanitizer (無害化) at lgwan.
  { from: 'internet', to: 'lgwan', delivery: 'push', key: 'internet-lgwan' },
  // mynumber opens every connection itself: it pushes results to lgwan…
  { from: 'mynumber', to: 'lgwan', delivery: 'push', key: 'lgwan-mynumber' },
  // …and pulls what lgwan has for it. lgwan never connects to mynumber.
  { from: 'lgwan', to: 'mynumber', delivery: 'pull', key: 'lgwan-mynumber' },
  // What the internet side may know of inner decisions (e.g. certificate status for the
  // OCSP responder) it pulls from lgwan: the inner zones never open a connection outward.
  { from: 'lgwan', to: 'internet', delivery: 'pull', key: 'internet-lgwan' },
];

export function findChannel(from: ZoneName, to: ZoneName): Channel | undefined {
  return channels.find((channel) => channel.from === from && channel.to === to);
}

/** The channel from → to, or gateway-route-forbidden. */
export function requireChannel(from: ZoneName, to: ZoneName, delivery?: Delivery): Channel {
  const channel = findChannel(from, to);
  if (!channel) {
    throw new MachiError('gateway-route-forbidden', `The ${from} zone has no route to the ${to} zone.`, {
      from,
      to,
    });
  }
  if (delivery && channel.delivery !== delivery) {
    throw new MachiError(
      'gateway-route-forbidden',
      `Messages from ${from} to ${to} are delivered by ${channel.delivery}, not ${delivery}.`,
      { from, to },
    );
  }
  return channel;
}

/** The key pairs a zone takes part in: the keys its process may hold, and no others. */
export function keyPairsOf(zone: ZoneName): KeyPair[] {
  return [...new Set(channels.filter((c) => c.from === zone || c.to === zone).map((c) => c.key))];
}

/** The key shared by two zones, if they share one. */
export function keyPairBetween(a: ZoneName, b: ZoneName): KeyPair | undefined {
  return (findChannel(a, b) ?? findChannel(b, a))?.key;
}

/** Does this zone answer gateway requests (an inbox for pushes or an outbox for pulls)? */
export function hasEndpoint(zone: ZoneName): boolean {
  return channels.some(
    (c) => (c.delivery === 'push' && c.to === zone) || (c.delivery === 'pull' && c.from === zone),
  );
}
