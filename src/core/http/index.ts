export { asMachiError, createHttpApp, type HttpApp, type HttpAppOptions } from './create-http-app.ts';
export { type RegisteredRoute, registeredRoutes } from './route-list.ts';
export { matchesEtag, serveScript, strongEtag } from './static-text.ts';
export {
  type KeptTerminalKey,
  keySecretMatches,
  type NewTerminalKey,
  newTerminalKey,
  readBearerKey,
  verifyTerminalKey,
} from './terminal-keys.ts';
