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
  markSubmissionForwarded,
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
/** Filings sent inward at once (see deliverInLanes). */
const FORWARD_LANES = 4;

/**
 * `deliverEach` on a few lanes at once, each item in one lane. One filing at a time waits
 * for a whole round trip — lgwan's transaction and commit, then our own update — so under
 * load (npm run bench submit) forwarding fell behind filing several times over. Filings are
 * independent (ids derived from each, lgwan keeps each once), so their order does not
 * matter; as with one lane, a failure leaves the rest of its lane for the next round and
 * fails the round once every lane has stopped.
 */
async function deliverInLanes<T>(
  items: readonly T[],
  deliver: (item: T) => Promise<unknown>,
  settle: (item: T, refusal?: string) => Promise<void>,
): Promise<number> {
  const lanes = Array.from({ length: FORWARD_LANES }, (_, lane) =>
    items.filter((_, index) => index % FORWARD_LANES === lane),
  );
  const results = await Promise.allSettled(lanes.map((lane) => deliverEach(lane, deliver, settle)));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.reduce((sum, result) => sum + (result.status === 'fulfilled' ? result.value : 0), 0);
}

/**
 * Sends filings, corrections and withdrawals to lgwan, each once (message ids are derived
 * from what is sent); what lgwan refuses is marked and not sent again, an unreachable lgwan
 * is tried next round. Corrections follow filings, so a case exists before its next version.
 */
export async function forwardSubmissions(context: ZoneContext, gateway: ZoneGateway): Promise<number> {
  const tenant = (code: LgCode) => context.served.require(code).code as LgCode;
  const filings = await deliverInLanes(
    await unsentSubmissions(context.database),
    (filing: UnsentSubmission) =>
      gateway.send('lgwan', procedureSubmissionV1, {
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
      }),
    (filing, refusal) =>
      markSubmissionForwarded(
        context.database,
        { municipalityCode: tenant(filing.municipalityCode), submissionId: filing.submissionId },
        context.clock.now(),
        refusal,
      ),
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
