// The only path between zones (三層の対策). Zones import this file, never its inner ones.
export { messageTypes } from './catalogue.ts';
export { type Channel, channels, type KeyPair, keyPairsOf } from './channels.ts';
export type { Envelope } from './envelope.ts';
export { registerGatewayRoutes } from './http-routes.ts';
export type { JsonValue, MessageHandler, Receipt } from './inbox.ts';
export { type GatewayKeys, generateGatewayKeys, keyEnvNames, loadGatewayKeys } from './keys.ts';
export { defineMessageType, type MessageType } from './message-type.ts';
export {
  type PopulationStatisticsPayload,
  populationStatisticsRequestV1,
  populationStatisticsV1,
} from './messages/population-statistics.ts';
export { gatewayInboxMigrations, gatewayOutboxMigrations } from './migrations.ts';
export { createEmbeddedNetwork, createHttpNetwork, type GatewayNetwork } from './network.ts';
export { pendingInOutbox } from './outbox.ts';
export type { GatewayEndpoint, GatewayRequest, GatewayResponse, GatewayTransport } from './transport.ts';
export { gatewayPaths } from './wire.ts';
export {
  createZoneGateway,
  type OutgoingMessage,
  type PullResult,
  type ZoneGateway,
} from './zone-gateway.ts';
