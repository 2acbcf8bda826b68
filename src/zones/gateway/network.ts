import type { MachiConfig, ZoneName } from '../../core/index.ts';
import { keyPairsOf } from './channels.ts';
import { type GatewayKeys, generateGatewayKeys, loadGatewayKeys } from './keys.ts';
import {
  createHttpTransport,
  createInProcessTransport,
  type GatewayEndpoint,
  type GatewayTransport,
} from './transport.ts';

/**
 * How the zones of one run reach each other: the keys each zone holds and the
 * transport. Embedded mode (`machi start`): one network for the three zones in
 * the process, keys generated at run time, calls in-process. Multi-process
 * (`machi serve --zone Z`): keys from the environment, calls over HTTP.
 */
export interface GatewayNetwork {
  keysFor(zone: ZoneName): GatewayKeys;
  readonly transport: GatewayTransport;
  /** Makes a zone's endpoint reachable (in-process); over HTTP the zone's routes do that. */
  attach(zone: ZoneName, endpoint: GatewayEndpoint): void;
  /** Whether zones run their periodic gateway tasks (pulling, scheduled pushes). */
  readonly background: boolean;
}

export function createEmbeddedNetwork(options: { background?: boolean } = {}): GatewayNetwork {
  const keys = generateGatewayKeys();
  const endpoints = new Map<ZoneName, GatewayEndpoint>();
  return {
    // Each zone gets only its own pairs' keys, as it would in its own process.
    keysFor(zone) {
      const own = new Set(keyPairsOf(zone));
      return { get: (pair) => (own.has(pair) ? keys.get(pair) : undefined) };
    },
    transport: createInProcessTransport(endpoints),
    attach(zone, endpoint) {
      endpoints.set(zone, endpoint);
    },
    background: options.background ?? false,
  };
}

export function createHttpNetwork(
  config: MachiConfig,
  options: {
    env?: NodeJS.ProcessEnv;
    background?: boolean;
    /** Base URLs of the zones, read at each call; default MACHI_<ZONE>_URL (tests pass ephemeral ports). */
    urls?: Readonly<Record<ZoneName, string>>;
  } = {},
): GatewayNetwork {
  const urls = options.urls ?? {
    internet: config.zones.internet.url,
    lgwan: config.zones.lgwan.url,
    mynumber: config.zones.mynumber.url,
  };
  return {
    keysFor: (zone) => loadGatewayKeys(zone, options.env ?? process.env),
    transport: createHttpTransport(urls),
    attach() {},
    background: options.background ?? false,
  };
}
