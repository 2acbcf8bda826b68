import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fixedClock, isMachiError } from '../../src/core/index.ts';
import { keyPairsOf } from '../../src/zones/gateway/channels.ts';
import { type GatewayKeys, generateGatewayKeys, loadGatewayKeys } from '../../src/zones/gateway/keys.ts';
import {
  gatewayHeaders,
  REPLAY_WINDOW_MS,
  signRequest,
  signResponse,
  verifyRequest,
  verifyResponse,
} from '../../src/zones/gateway/signature.ts';

const clock = fixedClock(new Date('2025-04-01T00:00:00Z'));
const keys = generateGatewayKeys();
const body = '{"hello":"lgwan"}';

function request(from: 'internet' | 'mynumber', signWith: GatewayKeys = keys, text = body) {
  const headers = signRequest(signWith, clock, {
    method: 'POST',
    path: '/gateway/v1/messages',
    from,
    to: 'lgwan',
    body: text,
  });
  return { method: 'POST', path: '/gateway/v1/messages', headers, body: text };
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (isMachiError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe('gateway HMAC', () => {
  it('verifies a request signed with the pair key and says who sent it', () => {
    expect(verifyRequest(keys, clock, 'lgwan', request('internet'))).toBe('internet');
    expect(verifyRequest(keys, clock, 'lgwan', request('mynumber'))).toBe('mynumber');
  });

  it('refuses a request signed with another key', () => {
    expect(
      codeOf(() => verifyRequest(keys, clock, 'lgwan', request('internet', generateGatewayKeys()))),
    ).toBe('gateway-unauthenticated');
  });

  it('refuses a tampered body, path or sender', () => {
    const signed = request('internet');
    expect(
      codeOf(() => verifyRequest(keys, clock, 'lgwan', { ...signed, body: '{"hello":"mynumber"}' })),
    ).toBe('gateway-unauthenticated');
    expect(
      codeOf(() => verifyRequest(keys, clock, 'lgwan', { ...signed, path: '/gateway/v1/outbox/pull' })),
    ).toBe('gateway-unauthenticated');
    // The internet zone signs with its own key but claims to be mynumber: the mynumber key does not match.
    const claimed = { ...signed, headers: { ...signed.headers, [gatewayHeaders.from]: 'mynumber' } };
    expect(codeOf(() => verifyRequest(keys, clock, 'lgwan', claimed))).toBe('gateway-unauthenticated');
  });

  it('refuses stale and future timestamps outside the replay window', () => {
    const signed = request('internet');
    clock.advance(REPLAY_WINDOW_MS + 1);
    expect(codeOf(() => verifyRequest(keys, clock, 'lgwan', signed))).toBe('gateway-unauthenticated');
    clock.advance(-2 * (REPLAY_WINDOW_MS + 1));
    expect(codeOf(() => verifyRequest(keys, clock, 'lgwan', signed))).toBe('gateway-unauthenticated');
    clock.advance(REPLAY_WINDOW_MS + 1);
    expect(verifyRequest(keys, clock, 'lgwan', signed)).toBe('internet');
  });

  it('refuses requests with no or malformed signature headers', () => {
    const signed = request('internet');
    const without = (name: string) => {
      const headers: Record<string, string> = { ...signed.headers };
      delete headers[name];
      return { ...signed, headers };
    };
    for (const name of Object.values(gatewayHeaders)) {
      expect(codeOf(() => verifyRequest(keys, clock, 'lgwan', without(name)))).toBe(
        'gateway-unauthenticated',
      );
    }
    const wrongScheme = { ...signed, headers: { ...signed.headers, [gatewayHeaders.signature]: 'v2=00' } };
    expect(codeOf(() => verifyRequest(keys, clock, 'lgwan', wrongScheme))).toBe('gateway-unauthenticated');
  });

  it('has no key and no route between internet and mynumber', () => {
    expect(keyPairsOf('internet')).toEqual(['internet-lgwan']);
    expect(keyPairsOf('mynumber')).toEqual(['lgwan-mynumber']);
    expect(
      codeOf(() =>
        signRequest(keys, clock, { method: 'POST', path: '/x', from: 'internet', to: 'mynumber', body }),
      ),
    ).toBe('gateway-route-forbidden');
    const forged = request('internet');
    const toMynumber = { ...forged, headers: { ...forged.headers, [gatewayHeaders.to]: 'mynumber' } };
    expect(codeOf(() => verifyRequest(keys, clock, 'mynumber', toMynumber))).toBe('gateway-unauthenticated');
  });

  it('binds a response to its request and its responder', () => {
    const signed = request('mynumber');
    const parts = {
      status: 200,
      from: 'lgwan' as const,
      to: 'mynumber' as const,
      requestSignature: signed.headers[gatewayHeaders.signature]!,
      body: '{"ok":true}',
    };
    const headers = signResponse(keys, clock, parts);
    expect(() => verifyResponse(keys, clock, parts, headers)).not.toThrow();
    expect(codeOf(() => verifyResponse(keys, clock, { ...parts, body: '{"ok":false}' }, headers))).toBe(
      'gateway-unauthenticated',
    );
    expect(codeOf(() => verifyResponse(keys, clock, { ...parts, requestSignature: 'v1=00' }, headers))).toBe(
      'gateway-unauthenticated',
    );
    expect(codeOf(() => verifyResponse(keys, clock, { ...parts, status: 201 }, headers))).toBe(
      'gateway-unauthenticated',
    );
  });
});

describe('gateway keys from the environment', () => {
  const good = randomBytes(32).toString('base64');

  it('loads only the pairs the zone takes part in', () => {
    const env = { MACHI_GATEWAY_KEY_INTERNET_LGWAN: good, MACHI_GATEWAY_KEY_LGWAN_MYNUMBER: good };
    const internet = loadGatewayKeys('internet', env);
    expect(internet.get('internet-lgwan')?.length).toBe(32);
    expect(internet.get('lgwan-mynumber')).toBeUndefined();
    expect(loadGatewayKeys('mynumber', env).get('internet-lgwan')).toBeUndefined();
    expect(loadGatewayKeys('lgwan', env).get('lgwan-mynumber')?.length).toBe(32);
  });

  it('refuses missing, short or non-base64 keys, naming the variable', () => {
    expect(() => loadGatewayKeys('internet', {})).toThrow(/MACHI_GATEWAY_KEY_INTERNET_LGWAN/);
    const short = randomBytes(16).toString('base64');
    expect(() => loadGatewayKeys('internet', { MACHI_GATEWAY_KEY_INTERNET_LGWAN: short })).toThrow(
      /at least 32/,
    );
    expect(() => loadGatewayKeys('internet', { MACHI_GATEWAY_KEY_INTERNET_LGWAN: `${good}!!` })).toThrow(
      /base64/,
    );
    expect(() => loadGatewayKeys('lgwan', { MACHI_GATEWAY_KEY_INTERNET_LGWAN: good })).toThrow(
      /MACHI_GATEWAY_KEY_LGWAN_MYNUMBER/,
    );
  });
});
