import { type HttpApp, tenantScope, type ZoneContext } from '../../core/index.ts';
import {
  registerPointsSettlementPages,
  type SettlementAdminDb,
  storeSettlementAnswer,
} from '../../modules/points/index.ts';
import {
  pointsSettlementAccountV1,
  pointsSettlementRequestV1,
  pointsSettlementV1,
  type ZoneGateway,
} from '../gateway/index.ts';

/**
 * lgwan's side of merchant settlement: the staff page, whose account and run requests go out by
 * the outbox, and the runs the internet zone pushes back as data, part by part — from which the
 * page makes the Zengin file and the report itself (no file enters from the internet zone).
 */
export function wirePointsSettlement(app: HttpApp, context: ZoneContext, gateway: ZoneGateway): void {
  gateway.handle(pointsSettlementV1, async (message, trx) => {
    // The envelope is checked: pointsSettlementV1 requires a municipality.
    const scope = tenantScope(message.municipalityCode!);
    const kept = await storeSettlementAnswer(
      trx as SettlementAdminDb,
      scope,
      message.payload,
      context.clock.now(),
    );
    return { part: message.payload.part, kept };
  });
  registerPointsSettlementPages(
    app,
    { db: context.database.db, audit: context.audit, clock: context.clock },
    {
      account: (trx, scope, account) =>
        gateway.enqueue(trx, 'internet', pointsSettlementAccountV1, {
          municipalityCode: scope.municipalityCode,
          payload: {
            requesterCode: account.requesterCode,
            requesterName: account.requesterName,
            bankCode: account.bankCode,
            bankName: account.bankName,
            branchCode: account.branchCode,
            branchName: account.branchName,
            accountType: account.accountType,
            accountNumber: account.accountNumber,
            revision: account.revision,
          },
        }),
      run: (trx, scope, run) =>
        gateway.enqueue(trx, 'internet', pointsSettlementRequestV1, {
          municipalityCode: scope.municipalityCode,
          payload: run,
        }),
    },
  );
}
