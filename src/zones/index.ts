import type { ZoneName } from '../core/index.ts';
import { internetZone } from './internet/index.ts';
import { lgwanZone } from './lgwan/index.ts';
import { mynumberZone } from './mynumber/index.ts';
import type { ZoneDefinition } from './zone-definition.ts';

export { createEmbeddedNetwork, createHttpNetwork, type GatewayNetwork } from './gateway/index.ts';
export { type OpenZoneOptions, openZone, type RunningZone } from './open-zone.ts';
export type { ZoneDefinition } from './zone-definition.ts';
export { internetZone, lgwanZone, mynumberZone };

export const zoneDefinitions: Readonly<Record<ZoneName, ZoneDefinition>> = {
  internet: internetZone,
  lgwan: lgwanZone,
  mynumber: mynumberZone,
};
