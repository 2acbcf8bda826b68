import { randomBytes } from 'node:crypto';
import { MachiError, type ZoneName } from '../../core/index.ts';
import { type KeyPair, keyPairsOf } from './channels.ts';

/** HMAC-SHA256 keys shorter than the hash output weaken it (RFC 2104 §3). */
export const MIN_KEY_BYTES = 32;

/** The per-pair keys one zone holds. Careful: these are secrets — never log or return them. */
export interface GatewayKeys {
  get(pair: KeyPair): Buffer | undefined;
}

export const keyEnvNames: Readonly<Record<KeyPair, string>> = {
  'internet-lgwan': 'MACHI_GATEWAY_KEY_INTERNET_LGWAN',
  'lgwan-mynumber': 'MACHI_GATEWAY_KEY_LGWAN_MYNUMBER',
};

function keysFrom(map: ReadonlyMap<KeyPair, Buffer>): GatewayKeys {
  return { get: (pair) => map.get(pair) };
}

/** Embedded mode: fresh random keys for every pair, alive only in this process. */
export function generateGatewayKeys(): GatewayKeys {
  const pairs: KeyPair[] = ['internet-lgwan', 'lgwan-mynumber'];
  return keysFrom(new Map(pairs.map((pair) => [pair, randomBytes(MIN_KEY_BYTES)] as const)));
}

/**
 * Multi-process mode: the keys of the pairs `zone` takes part in, read from the
 * environment (base64). Keys of other pairs are ignored even when set, so the
 * internet process never holds the lgwan–mynumber key.
 */
export function loadGatewayKeys(zone: ZoneName, env: NodeJS.ProcessEnv = process.env): GatewayKeys {
  const map = new Map<KeyPair, Buffer>();
  for (const pair of keyPairsOf(zone)) {
    const name = keyEnvNames[pair];
    const raw = env[name];
    const hint = 'e.g. the output of `openssl rand -base64 32`, the same value in both zones';
    if (!raw)
      throw new MachiError('validation-failed', `${name} must be set for the ${zone} zone (${hint}).`);
    const key = Buffer.from(raw, 'base64');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(raw.trim()) || key.length < MIN_KEY_BYTES) {
      throw new MachiError(
        'validation-failed',
        `${name} must be base64 of at least ${MIN_KEY_BYTES} random bytes (${hint}).`,
      );
    }
    map.set(pair, key);
  }
  return keysFrom(map);
}
