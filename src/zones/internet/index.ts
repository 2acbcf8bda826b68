import { registerWeb } from '../../web/index.ts';
import type { ZoneDefinition } from '../zone-definition.ts';

/** The internet zone: which modules' tables and routes it holds. */
export const internetZone: ZoneDefinition = {
  name: 'internet',
  migrations: [],
  register(app, context) {
    registerWeb(app, context);
  },
};
