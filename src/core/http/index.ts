export { asMachiError, createHttpApp, type HttpApp, type HttpAppOptions } from './create-http-app.ts';
export { type RegisteredRoute, registeredRoutes } from './route-list.ts';
export { keySecretMatches, type NewTerminalKey, newTerminalKey, readBearerKey } from './terminal-keys.ts';
