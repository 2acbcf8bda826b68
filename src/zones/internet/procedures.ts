import type { HttpApp, LgCode, ZoneContext } from '../../core/index.ts';
import { MachiError, tenantScope } from '../../core/index.ts';
import {
  type Lazy,
  type RelyingParty,
  requireResident,
  verifyDocumentSignature,
} from '../../modules/jpki/index.ts';
import {
  type FeeContext,
  type Filer,
  loadCatalogue,
  type MyFilingHooks,
  markCorrectionForwarded,
  markSubmissionRefused,
  markSubmissionsForwarded,
  markWithdrawalSent,
  procedureSettings,
  pruneDrafts,
  receiveCaseUpdate,
  reconcileFees,
  refundFee,
  registerCatalogueRoutes,
  registerFeeRoutes,
  registerMyFilingRoutes,
  registerPortalProcedurePages,
  registerSubmissionRoutes,
  requestFeeRefund,
  type SubmissionContext,
  syncFeeEvents,
  testPaymentProvider,
  type UnsentCorrection,
  type UnsentSubmission,
  unsentCorrections,
  unsentSubmissions,
  unsentWithdrawals,
} from '../../modules/procedures/index.ts';
import { rebuiltUpload } from '../../modules/sanitize/index.ts';
import {
  caseUpdateV1,
  deliverEach,
  deliverInBatches,
  derivedMessageId,
  procedureCorrectionV1,
  procedureSubmissionV1,
  procedureWithdrawalV1,
  type ZoneGateway,
} from '../gateway/index.ts';
import type { MailNotifier } from './mail.ts';
import { prefillSender } from './registry-prefill.ts';
import type { UploadReceiver } from './uploads.ts';

const FORWARD_INTERVAL_MS = 2_000;
const FEE_UPKEEP_INTERVAL_MS = 30_000;
const base64 = (bytes: Uint8Array | null) => (bytes ? Buffer.from(bytes).toString('base64') : null);
/**
 * Filings forwarded in one call (one transaction in lgwan), and calls on their way at once:
 * two, so that lgwan's next transaction is under way while our write for the last one runs.
 */
const FORWARD_BATCH = { size: 50, lanes: 2 };

/**
 * Sends filings, corrections and withdrawals to lgwan, each once (message ids are derived
 * from what is sent); what lgwan refuses is marked and not sent again, an unreachable lgwan
 * is tried next round. Corrections follow filings, so a case exists before its next version.
 */
export async function forwardSubmissions(context: ZoneContext, gateway: ZoneGateway): Promise<number> {
  const tenant = (code: LgCode) => context.served.require(code).code as LgCode;
  const messageOf = (filing: UnsentSubmission) => ({
    id: derivedMessageId(`procedures-submission:${filing.submissionId}`),
    municipalityCode: tenant(filing.municipalityCode),
    payload: {
      submissionId: filing.submissionId,
      receiptNumber: filing.receiptNumber,
      procedureId: filing.procedureId,
      submittedBy: filing.submittedBy,
      submittedAt: filing.submittedAt.toISOString(),
      document: base64(filing.document)!,
      signature: base64(filing.signature),
    },
  });
  const filings = await deliverInBatches(
    await unsentSubmissions(context.database, FORWARD_BATCH.size * FORWARD_BATCH.lanes * 2),
    FORWARD_BATCH,
    {
      deliverAll: (batch) => gateway.sendAll('lgwan', procedureSubmissionV1, batch.map(messageOf)),
      deliver: (filing) => gateway.send('lgwan', procedureSubmissionV1, messageOf(filing)),
      delivered: (batch) => markSubmissionsForwarded(context.database, batch),
      refused: (filing, refusal) => markSubmissionRefused(context.database, filing, refusal),
    },
  );
  const corrections = await deliverEach(
    await unsentCorrections(context.database),
    (correction: UnsentCorrection) =>
      gateway.send('lgwan', procedureCorrectionV1, {
        id: derivedMessageId(`procedures-correction:${correction.submissionId}:${correction.version}`),
        municipalityCode: tenant(correction.municipalityCode),
        payload: {
          submissionId: correction.submissionId,
          version: correction.version,
          submittedAt: correction.submittedAt.toISOString(),
          document: base64(correction.document)!,
          signature: base64(correction.signature),
        },
      }),
    (correction, refusal) =>
      markCorrectionForwarded(context.database, correction, context.clock.now(), refusal),
  );
  const withdrawals = await deliverEach(
    await unsentWithdrawals(context.database),
    (withdrawal) =>
      gateway.send('lgwan', procedureWithdrawalV1, {
        id: derivedMessageId(`procedures-withdrawal:${withdrawal.submissionId}`),
        municipalityCode: tenant(withdrawal.municipalityCode),
        payload: { submissionId: withdrawal.submissionId, requestedAt: withdrawal.requestedAt.toISOString() },
      }),
    // A refused withdrawal is answered by a case update; either way it is not sent again.
    (withdrawal) => markWithdrawalSent(context.database, withdrawal, context.clock.now()),
  );
  return filings + corrections + withdrawals;
}

/**
 * The portal's procedures: the public catalogue; filing, paying the fee, answering a request
 * for correction, withdrawing, the inbox — by a resident signed in with the card; and the
 * back office's updates, pulled from lgwan with everything else it holds for the portal.
 */
export function wireProcedures(
  app: HttpApp,
  context: ZoneContext,
  gateway: ZoneGateway,
  party: Lazy<RelyingParty>,
  mail: MailNotifier,
  uploads: UploadReceiver,
): void {
  const catalogue = loadCatalogue();
  registerCatalogueRoutes(app, catalogue, (municipality) =>
    procedureSettings(
      context.database.db,
      tenantScope(context.served.require(municipality).code as LgCode),
      catalogue,
    ),
  );
  const forwardSoon = gateway.every('forward filings inward', FORWARD_INTERVAL_MS, () =>
    forwardSubmissions(context, gateway),
  );
  // The built-in test provider until a payment gateway's adapter is configured.
  const fees: FeeContext = { ...context, provider: testPaymentProvider(context.database, context.clock) };
  const feeUpkeep = gateway.every('settle fees and refunds', FEE_UPKEEP_INTERVAL_MS, async () => ({
    reconciled: await reconcileFees(fees),
    events: await syncFeeEvents(fees),
  }));
  gateway.handle(caseUpdateV1, async (message, trx, afterCommit) => {
    const { payload } = message;
    const municipalityCode = context.served.require(message.municipalityCode).code as LgCode;
    const entry = await receiveCaseUpdate(
      trx,
      municipalityCode,
      {
        ...payload,
        notice: payload.notice
          ? { ...payload.notice, pdf: new Uint8Array(Buffer.from(payload.notice.pdf, 'base64')) }
          : null,
      },
      context.clock.now(),
      (refundTrx, where, reason) =>
        // Decided here, paid back by the fee upkeep (no provider call inside a transaction).
        requestFeeRefund(fees, refundTrx, { ...where, actor: 'gateway:lgwan', reason }),
    );
    if (entry.newEntry) await mail.noticeArrived(trx, { municipalityCode, ...entry }, afterCommit);
    return null;
  });
  const submissions: SubmissionContext = {
    ...context,
    catalogue,
    async verifySignature(signature, document) {
      const relying = party.current() ?? (await party.refresh());
      if (!relying) throw new MachiError('pki-not-ready');
      return verifyDocumentSignature(
        { trust: relying.trust, revocation: relying.revocation, now: context.clock.now() },
        signature,
        document,
      );
    },
    rebuiltUpload: (where) => rebuiltUpload(context.database, where),
  };
  const filer: Filer = async (request) => {
    const resident = await requireResident(context, request);
    return { id: `resident:${resident.subjectId}`, municipalityCode: resident.municipalityCode };
  };
  registerSubmissionRoutes(app, submissions, { filer, onSubmitted: forwardSoon });
  const filingHooks: MyFilingHooks = {
    onChange: forwardSoon,
    onWithdrawnHere: async (where) => {
      await refundFee(fees, { ...where, reason: 'withdrawn' });
      feeUpkeep();
    },
  };
  registerMyFilingRoutes(app, submissions, filer, filingHooks);
  registerFeeRoutes(app, fees, filer, forwardSoon);
  // The same for people: the portal's pages (catalogue, form with drafts, signing, receipt, filings, fee, inbox).
  const hooks = { ...filingHooks, onSubmitted: forwardSoon, onPaid: forwardSoon };
  registerPortalProcedurePages(app, submissions, filer, {
    fees,
    attachments: uploads,
    hooks,
    served: context.served,
    prefill: { send: prefillSender(context, gateway) },
  });
  // Drafts hold personal data: gone 30 days after their last save (they are not shown after that either).
  gateway.every('prune expired drafts', 3_600_000, () =>
    pruneDrafts(context.database.db, context.clock.now()),
  );
}
