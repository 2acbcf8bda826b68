import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import { type Clock, MachiError, type ZoneName } from '../../core/index.ts';
import { keyPairBetween } from './channels.ts';
import type { GatewayKeys } from './keys.ts';

/** How far a signed timestamp may be from our clock, either way. Older requests are replays. */
export const REPLAY_WINDOW_MS = 5 * 60 * 1000;

export const gatewayHeaders = {
  from: 'x-machi-gateway-from',
  to: 'x-machi-gateway-to',
  timestamp: 'x-machi-gateway-timestamp',
  signature: 'x-machi-gateway-signature',
} as const;

const SCHEME = 'v1=';

function sha256(body: string): string {
  return hash('sha256', body);
}

/**
 * The string a signature covers. It names both zones, so a message signed for
 * one pair cannot be passed off as another, and the body's hash, so no byte of
 * the message can change. For a response it also covers the request's signature,
 * so an old response cannot answer a new request.
 */
function canonical(parts: readonly string[], body: string): string {
  return ['MACHI-GATEWAY-V1', ...parts, sha256(body)].join('\n');
}

function hmac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

function requireKey(keys: GatewayKeys, a: ZoneName, b: ZoneName): Buffer {
  const pair = keyPairBetween(a, b);
  const key = pair ? keys.get(pair) : undefined;
  if (!key) {
    throw new MachiError('gateway-route-forbidden', `The ${a} zone holds no key for the ${b} zone.`, {
      from: a,
      to: b,
    });
  }
  return key;
}

function unauthenticated(detail: string): MachiError {
  return new MachiError('gateway-unauthenticated', detail);
}

function equalSignatures(given: string | undefined, expected: string): boolean {
  if (!given?.startsWith(SCHEME)) return false;
  const a = Buffer.from(given.slice(SCHEME.length), 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function checkTimestamp(raw: string | undefined, clock: Clock): string {
  if (!raw || !/^[0-9]{1,15}$/.test(raw)) throw unauthenticated('The gateway timestamp is missing.');
  if (Math.abs(clock.now().getTime() - Number(raw)) > REPLAY_WINDOW_MS) {
    throw unauthenticated('The gateway timestamp is outside the replay window; check the clocks.');
  }
  return raw;
}

export interface SignedRequestParts {
  readonly method: string;
  readonly path: string;
  readonly from: ZoneName;
  readonly to: ZoneName;
  readonly body: string;
}

/** Headers that authenticate a request from `from` to `to`. */
export function signRequest(
  keys: GatewayKeys,
  clock: Clock,
  parts: SignedRequestParts,
): Record<string, string> {
  const key = requireKey(keys, parts.from, parts.to);
  const timestamp = String(clock.now().getTime());
  const text = canonical(['request', parts.method, parts.path, parts.from, parts.to, timestamp], parts.body);
  return {
    [gatewayHeaders.from]: parts.from,
    [gatewayHeaders.to]: parts.to,
    [gatewayHeaders.timestamp]: timestamp,
    [gatewayHeaders.signature]: `${SCHEME}${hmac(key, text)}`,
  };
}

/**
 * Verifies a request received by zone `to`; returns the zone that signed it.
 * The claimed sender picks the key, so a sender with the wrong pair's key fails here.
 */
export function verifyRequest(
  keys: GatewayKeys,
  clock: Clock,
  to: ZoneName,
  request: {
    method: string;
    path: string;
    headers: Readonly<Record<string, string | undefined>>;
    body: string;
  },
): ZoneName {
  const from = request.headers[gatewayHeaders.from];
  if (from !== 'internet' && from !== 'lgwan' && from !== 'mynumber') {
    throw unauthenticated('The gateway request does not say which zone sent it.');
  }
  if (request.headers[gatewayHeaders.to] !== to)
    throw unauthenticated(`The request is not addressed to ${to}.`);
  const pair = keyPairBetween(from, to);
  const key = pair ? keys.get(pair) : undefined;
  if (!key) throw unauthenticated(`The ${to} zone shares no key with the ${from} zone.`);
  const timestamp = checkTimestamp(request.headers[gatewayHeaders.timestamp], clock);
  const text = canonical(['request', request.method, request.path, from, to, timestamp], request.body);
  if (!equalSignatures(request.headers[gatewayHeaders.signature], hmac(key, text))) {
    throw unauthenticated('The gateway signature does not match.');
  }
  return from;
}

export interface SignedResponseParts {
  readonly status: number;
  /** The responding zone. */
  readonly from: ZoneName;
  readonly to: ZoneName;
  readonly requestSignature: string;
  readonly body: string;
}

function responseText(parts: SignedResponseParts, timestamp: string): string {
  return canonical(
    ['response', String(parts.status), parts.from, parts.to, parts.requestSignature, timestamp],
    parts.body,
  );
}

/** Headers that prove a response came from the zone the caller meant to reach. */
export function signResponse(
  keys: GatewayKeys,
  clock: Clock,
  parts: SignedResponseParts,
): Record<string, string> {
  const key = requireKey(keys, parts.from, parts.to);
  const timestamp = String(clock.now().getTime());
  return {
    [gatewayHeaders.from]: parts.from,
    [gatewayHeaders.timestamp]: timestamp,
    [gatewayHeaders.signature]: `${SCHEME}${hmac(key, responseText(parts, timestamp))}`,
  };
}

/** Throws gateway-unauthenticated unless the response is signed by `parts.from` for this very request. */
export function verifyResponse(
  keys: GatewayKeys,
  clock: Clock,
  parts: SignedResponseParts,
  headers: Readonly<Record<string, string | undefined>>,
): void {
  if (headers[gatewayHeaders.from] !== parts.from) {
    throw unauthenticated(`The response does not come from the ${parts.from} zone.`);
  }
  const key = requireKey(keys, parts.from, parts.to);
  const timestamp = checkTimestamp(headers[gatewayHeaders.timestamp], clock);
  if (!equalSignatures(headers[gatewayHeaders.signature], hmac(key, responseText(parts, timestamp)))) {
    throw unauthenticated(`The response signature of the ${parts.from} zone does not match.`);
  }
}
