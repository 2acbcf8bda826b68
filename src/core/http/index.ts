export { asMachiError, createHttpApp, type HttpApp, type HttpAppOptions } from './create-http-app.ts';
