// The only path between zones (三層の対策). Zones import this file, never its inner ones.
export { messageTypes } from './catalogue.ts';
export { type Channel, channels, type KeyPair, keyPairsOf } from './channels.ts';
export { type BatchDelivery, deliverInBatches } from './deliver-batches.ts';
export { deliverEach } from './deliver-each.ts';
export type { Envelope } from './envelope.ts';
export { registerGatewayRoutes } from './http-routes.ts';
export type { BatchHandler, JsonValue, MessageHandler, Receipt } from './inbox.ts';
export { type GatewayKeys, generateGatewayKeys, keyEnvNames, loadGatewayKeys } from './keys.ts';
export { derivedMessageId } from './message-id.ts';
export { defineMessageType, type MessageType } from './message-type.ts';
export { cardDeliveryV1, cardRequestV1 } from './messages/jpki-card-request.ts';
export {
  type CertificateStatusPayload,
  type CrlPayload,
  certificateStatusV1,
  crlV1,
} from './messages/jpki-status.ts';
export {
  type PointsGrantCodesPayload,
  type PointsProgrammePayload,
  pointsGrantCodesV1,
  pointsProgrammeV1,
} from './messages/points-admin.ts';
export { type PointsFiguresPayload, pointsFiguresV1 } from './messages/points-figures.ts';
export {
  type PointsMerchantKeyPayload,
  type PointsMerchantKeyRevocationPayload,
  type PointsMerchantPayload,
  pointsMerchantKeyRevocationV1,
  pointsMerchantKeyV1,
  pointsMerchantV1,
} from './messages/points-merchants.ts';
export {
  MAX_INVOICED_PARTNERS,
  type PointsInvoiceRequestPayload,
  type PointsInvoicesPayload,
  type PointsPartnerPayload,
  pointsInvoiceRequestV1,
  pointsInvoicesV1,
  pointsPartnerV1,
} from './messages/points-partners.ts';
export { type PointsPremiumOfferPayload, pointsPremiumOfferV1 } from './messages/points-premium.ts';
export {
  MAX_SETTLEMENT_LINES,
  type PointsSettlementAccountPayload,
  type PointsSettlementPayload,
  type PointsSettlementRequestPayload,
  pointsSettlementAccountV1,
  pointsSettlementRequestV1,
  pointsSettlementV1,
} from './messages/points-settlement.ts';
export {
  type PopulationStatisticsPayload,
  populationStatisticsRequestV1,
  populationStatisticsV1,
} from './messages/population-statistics.ts';
export {
  type CaseUpdatePayload,
  caseUpdateV1,
  type ProcedureCorrectionPayload,
  type ProcedureWithdrawalPayload,
  procedureCorrectionV1,
  procedureWithdrawalV1,
} from './messages/procedure-case.ts';
export { type ProcedureSettingPayload, procedureSettingV1 } from './messages/procedure-settings.ts';
export { type ProcedureSubmissionPayload, procedureSubmissionV1 } from './messages/procedure-submission.ts';
export {
  type BasicFourCheckPayload,
  type BasicFourResultPayload,
  basicFourCheckV1,
  basicFourResultV1,
} from './messages/registry-check.ts';
export {
  MAX_PREFILL_MEMBERS,
  type PrefillPayload,
  type PrefillRequestPayload,
  prefillRequestV1,
  prefillV1,
} from './messages/registry-prefill.ts';
export {
  FILE_PART_BYTES,
  FILE_PARTS_PER_CALL,
  MAX_FILE_BYTES,
  type SanitizedFilePartPayload,
  type SanitizedFilePayload,
  type SanitizedWholeFilePayload,
  sanitizedFilePartV1,
  sanitizedFileV1,
  sanitizedFileV2,
} from './messages/sanitized-file.ts';
export { gatewayInboxMigrations, gatewayOutboxMigrations } from './migrations.ts';
export { createEmbeddedNetwork, createHttpNetwork, type GatewayNetwork } from './network.ts';
export { pendingInOutbox } from './outbox.ts';
export { relay } from './relay.ts';
export type { GatewayEndpoint, GatewayRequest, GatewayResponse, GatewayTransport } from './transport.ts';
export { gatewayPaths } from './wire.ts';
export {
  createZoneGateway,
  type OutgoingMessage,
  type PullResult,
  type ZoneGateway,
} from './zone-gateway.ts';
