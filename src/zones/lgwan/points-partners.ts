import { type HttpApp, tenantScope, type ZoneContext } from '../../core/index.ts';
import {
  type InvoicesAdminDb,
  registerPointsPartnersPages,
  storeInvoiceAnswer,
} from '../../modules/points/index.ts';
import {
  pointsInvoiceRequestV1,
  pointsInvoicesV1,
  pointsPartnerV1,
  type ZoneGateway,
} from '../gateway/index.ts';

/**
 * lgwan's side of partner companies: the staff pages, whose saves and invoice requests go out
 * by the outbox (the internet zone pulls them), and the invoices the internet zone pushes back.
 */
export function wirePointsPartners(app: HttpApp, context: ZoneContext, gateway: ZoneGateway): void {
  gateway.handle(pointsInvoicesV1, async (message, trx) => {
    // The envelope is checked: pointsInvoicesV1 requires a municipality.
    const scope = tenantScope(message.municipalityCode!);
    const kept = await storeInvoiceAnswer(
      trx as InvoicesAdminDb,
      scope,
      message.payload,
      context.clock.now(),
    );
    return { kept };
  });
  registerPointsPartnersPages(
    app,
    { db: context.database.db, audit: context.audit, clock: context.clock },
    {
      partner: (trx, scope, partner) =>
        gateway.enqueue(trx, 'internet', pointsPartnerV1, {
          municipalityCode: scope.municipalityCode,
          payload: {
            partnerId: partner.partnerId,
            name: partner.name,
            publicKeyPem: partner.publicKeyPem,
            rate: { ...partner.rate },
            dailyCapPoints: partner.dailyCapPoints,
            active: partner.active,
            revision: partner.revision,
          },
        }),
      invoiceRequest: (trx, scope, request) =>
        gateway.enqueue(trx, 'internet', pointsInvoiceRequestV1, {
          municipalityCode: scope.municipalityCode,
          payload: request,
        }),
    },
  );
}
