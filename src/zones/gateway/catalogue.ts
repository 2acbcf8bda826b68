import type { MessageType } from './message-type.ts';
import { cardDeliveryV1, cardRequestV1 } from './messages/jpki-card-request.ts';
import { certificateStatusV1, crlV1 } from './messages/jpki-status.ts';
import { pointsGrantCodesV1, pointsProgrammeV1 } from './messages/points-admin.ts';
import { pointsFiguresV1 } from './messages/points-figures.ts';
import {
  pointsMerchantKeyRevocationV1,
  pointsMerchantKeyV1,
  pointsMerchantV1,
} from './messages/points-merchants.ts';
import { pointsInvoiceRequestV1, pointsInvoicesV1, pointsPartnerV1 } from './messages/points-partners.ts';
import { pointsPremiumOfferV1 } from './messages/points-premium.ts';
import {
  pointsSettlementAccountV1,
  pointsSettlementRequestV1,
  pointsSettlementV1,
} from './messages/points-settlement.ts';
import { populationStatisticsRequestV1, populationStatisticsV1 } from './messages/population-statistics.ts';
import { caseUpdateV1, procedureCorrectionV1, procedureWithdrawalV1 } from './messages/procedure-case.ts';
import { procedureSettingV1 } from './messages/procedure-settings.ts';
import { procedureSubmissionV1 } from './messages/procedure-submission.ts';
import { basicFourCheckV1, basicFourResultV1 } from './messages/registry-check.ts';
import { prefillRequestV1, prefillV1 } from './messages/registry-prefill.ts';
import { sanitizedFilePartV1, sanitizedFileV1, sanitizedFileV2 } from './messages/sanitized-file.ts';

/**
 * Every message type and version the gateway knows. A message whose type and
 * version are not listed here is refused at both ends. Add new versions beside
 * old ones; remove an old one only when no zone of any deployment still sends it.
 */
export const messageTypes: readonly MessageType[] = [
  populationStatisticsV1,
  populationStatisticsRequestV1,
  certificateStatusV1,
  crlV1,
  cardRequestV1,
  cardDeliveryV1,
  sanitizedFilePartV1,
  sanitizedFileV1,
  sanitizedFileV2,
  procedureSubmissionV1,
  procedureCorrectionV1,
  procedureWithdrawalV1,
  caseUpdateV1,
  basicFourCheckV1,
  basicFourResultV1,
  procedureSettingV1,
  prefillRequestV1,
  prefillV1,
  pointsFiguresV1,
  pointsProgrammeV1,
  pointsGrantCodesV1,
  pointsMerchantV1,
  pointsMerchantKeyV1,
  pointsMerchantKeyRevocationV1,
  pointsPremiumOfferV1,
  pointsPartnerV1,
  pointsInvoiceRequestV1,
  pointsInvoicesV1,
  pointsSettlementAccountV1,
  pointsSettlementRequestV1,
  pointsSettlementV1,
];

export function findMessageType(
  type: string,
  version: number,
  catalogue: readonly MessageType[] = messageTypes,
): MessageType | undefined {
  return catalogue.find((entry) => entry.type === type && entry.version === version);
}
