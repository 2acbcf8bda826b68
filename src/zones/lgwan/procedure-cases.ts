import type { HttpApp, LgCode, ZoneContext } from '../../core/index.ts';
import {
  type CaseContext,
  createNoticeMaker,
  loadCatalogue,
  receiveCorrection,
  receiveSubmissions,
  receiveWithdrawal,
  registerCasePages,
  registerCaseRoutes,
  registerUsageRoutes,
} from '../../modules/procedures/index.ts';
import {
  caseUpdateV1,
  procedureCorrectionV1,
  procedureSubmissionV1,
  procedureWithdrawalV1,
  type ZoneGateway,
} from '../gateway/index.ts';
import { wireRegistryCheck } from './registry-check.ts';

const bytes = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));

/** What a filing or a correction carries from the portal: the signed document and its signature, in base64. */
interface SignedPayload {
  readonly submissionId: string;
  readonly document: string;
  readonly signature: string | null;
}
/** The same with the bytes decoded, as the module receives it. */
type Decoded<P extends SignedPayload> = Omit<P, 'document' | 'signature'> & {
  readonly document: Uint8Array;
  readonly signature: Uint8Array | null;
};

/**
 * lgwan's back office for online procedures: a case for each filing the portal sends in
 * (checked again against the catalogue), the resident's corrections and withdrawals, the
 * clerks' routes, and every change the resident should know of left in the outbox for the
 * portal to pull (lgwan never connects outward).
 */
export function wireProcedureCases(app: HttpApp, context: ZoneContext, gateway: ZoneGateway): void {
  const catalogue = loadCatalogue();
  const cases: CaseContext = {
    ...context,
    catalogue,
    notifyResident: async (trx, scope, update) => {
      await gateway.enqueue(trx, 'internet', caseUpdateV1, {
        municipalityCode: scope.municipalityCode,
        payload: {
          ...update,
          fields: [...update.fields],
          notice: update.notice
            ? { ...update.notice, pdf: Buffer.from(update.notice.pdf).toString('base64') }
            : null,
        },
      });
    },
    makeNotice: createNoticeMaker(context.config.lgpkiDir, context.served.codes()),
  };
  const tenant = (code: LgCode | null) => context.served.require(code).code as LgCode;
  const checkSigners = wireRegistryCheck(context, gateway);

  const decoded = <P extends SignedPayload>(payload: P): Decoded<P> => ({
    ...payload,
    document: bytes(payload.document),
    signature: payload.signature ? bytes(payload.signature) : null,
  });

  // Filings from the portal, one or a batch: each kept by receiveSubmissions (which checks it
  // against the catalogue again), then its signer checked against the registry (住基照会), all
  // in the message's transaction.
  gateway.handleAll(procedureSubmissionV1, async (messages, trx) => {
    const filings = messages.map((message) => ({
      municipalityCode: tenant(message.municipalityCode),
      incoming: decoded(message.payload),
    }));
    await receiveSubmissions(trx, catalogue, filings, context.clock.now());
    await checkSigners(
      trx,
      filings.map(({ municipalityCode, incoming }) => ({
        municipalityCode,
        submissionId: incoming.submissionId,
        version: 1,
        signed: incoming,
      })),
    );
    return messages.map((message) => ({ case: message.payload.receiptNumber }));
  });
  // A correction (補正), the case's next version: its signer is looked up as stored, since a
  // correction the case does not wait for is not kept.
  gateway.handle(procedureCorrectionV1, async (message, trx) => {
    const municipalityCode = tenant(message.municipalityCode);
    const { submissionId, version } = message.payload;
    await receiveCorrection(
      trx,
      municipalityCode,
      catalogue,
      decoded(message.payload),
      context.clock.now(),
      cases.notifyResident,
    );
    await checkSigners(trx, [{ municipalityCode, submissionId, version }]);
    return null;
  });
  gateway.handle(procedureWithdrawalV1, async (message, trx) => {
    await receiveWithdrawal(
      trx,
      tenant(message.municipalityCode),
      message.payload.submissionId,
      context.clock.now(),
      cases.notifyResident,
    );
    return null;
  });
  registerCaseRoutes(app, cases);
  registerCasePages(app, cases);
  registerUsageRoutes(app, cases);
}
