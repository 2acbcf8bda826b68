import { tenantScope, type ZoneContext } from '../../core/index.ts';
import {
  type PartnersDb,
  partnerInvoicesForMonth,
  registerPartnerRevision,
} from '../../modules/points/index.ts';
import {
  derivedMessageId,
  MAX_INVOICED_PARTNERS,
  pointsInvoiceRequestV1,
  pointsInvoicesV1,
  pointsPartnerV1,
  type ZoneGateway,
} from '../gateway/index.ts';

/** The answer's id, derived from the request's: a request handled again answers with the same message, kept once by lgwan. */
export function invoicesAnswerId(requestId: string): string {
  return derivedMessageId(`reply:${pointsInvoicesV1.type}:${requestId}`);
}

/**
 * Partner companies as points staff keep them in lgwan, pulled from its outbox (a newer
 * revision only), and the month's invoices they ask for: counted here from the exchanges and
 * pushed back to lgwan inside the handler — a failed push leaves the request unacknowledged,
 * and the derived answer id makes a second answer harmless.
 */
export function wirePointsPartnersAdmin(context: ZoneContext, gateway: ZoneGateway): void {
  gateway.handle(pointsPartnerV1, async (message, trx) => {
    const scope = tenantScope(context.served.require(message.municipalityCode).code);
    const { revision, ...partner } = message.payload;
    const kept = await registerPartnerRevision(
      trx as PartnersDb,
      scope,
      { ...partner, rate: { ...partner.rate } },
      revision,
      context.clock.now(),
    );
    return { partnerId: partner.partnerId, revision, kept };
  });
  gateway.handle(pointsInvoiceRequestV1, async (message, trx) => {
    const municipalityCode = context.served.require(message.municipalityCode).code;
    const { requestId, month } = message.payload;
    const invoices = await partnerInvoicesForMonth(trx as PartnersDb, tenantScope(municipalityCode), month);
    if (invoices.length > MAX_INVOICED_PARTNERS) {
      throw new Error(`More than ${MAX_INVOICED_PARTNERS} partners do not fit one invoices message.`);
    }
    const receipt = await gateway.send('lgwan', pointsInvoicesV1, {
      id: invoicesAnswerId(requestId),
      municipalityCode,
      payload: {
        requestId,
        month,
        computedAt: context.clock.now().toISOString(),
        invoices: invoices.map(({ partnerId, name, exchanges, partnerPoints, points, amountYen }) => ({
          partnerId,
          name,
          exchanges,
          partnerPoints,
          points,
          amountYen,
        })),
      },
    });
    return { replyId: receipt.id, partners: invoices.length };
  });
}
