import type { Kysely } from 'kysely';
import type { LgCode, TenantScope, ZoneContext } from '../../core/index.ts';
import { tenantScope } from '../../core/index.ts';
import {
  markRegistryChecksRequested,
  type RegistryCheckRequest,
  recordRegistryCheck,
  registryCheckFor,
  registryQuestion,
} from '../../modules/procedures/index.ts';
import { basicFourCheckV1, basicFourResultV1, type ZoneGateway } from '../gateway/index.ts';

// biome-ignore lint/suspicious/noExplicitAny: the handler's transaction, of any tables.
type AnyTransaction = Kysely<any>;

/** A version whose signer the registry is asked about; with its bytes when they are in hand. */
export interface SignedVersion {
  readonly municipalityCode: LgCode;
  readonly submissionId: string;
  readonly version: number;
  /** As stored; without them the stored version is read (and none stored means nothing to ask). */
  readonly signed?: { readonly document: Uint8Array; readonly signature: Uint8Array | null };
}

/** Asks the registry about versions' signers, inside the transaction that received them. */
export type RequestRegistryChecks = (
  trx: AnyTransaction,
  versions: readonly SignedVersion[],
) => Promise<void>;

/**
 * lgwan's side of 住基照会 for filings: each version received with a usable signature leaves
 * a question for mynumber in the outbox (lgwan never connects to mynumber: mynumber pulls it),
 * and the answer mynumber pushes back is kept for the case view. Returns what the case
 * handlers call when filings or a correction arrive: for a batch of filings, one statement
 * notes the questions and one puts them in the outbox.
 */
export function wireRegistryCheck(context: ZoneContext, gateway: ZoneGateway): RequestRegistryChecks {
  gateway.handle(basicFourResultV1, async (message, trx) => {
    const scope = tenantScope(context.served.require(message.municipalityCode).code);
    const recorded = await recordRegistryCheck(trx, scope, message.payload, context.clock.now());
    return { recorded };
  });
  return async (trx, versions) => {
    const asked: { scope: TenantScope; check: RegistryCheckRequest }[] = [];
    for (const { municipalityCode, submissionId, version, signed } of versions) {
      const scope = tenantScope(municipalityCode);
      const question = signed
        ? await registryQuestion(submissionId, version, signed.document, signed.signature)
        : await registryCheckFor(trx, scope, submissionId, version);
      // A certificate whose items do not fit the message (never one the JPKI issues) is not
      // asked about: the case shows no check rather than failing to open.
      if (question && basicFourCheckV1.check(question)) asked.push({ scope, check: question });
    }
    // A version asked about before (a filing delivered again) is not asked again.
    const noted = await markRegistryChecksRequested(trx, asked, context.clock.now());
    await gateway.enqueueAll(
      trx,
      'mynumber',
      basicFourCheckV1,
      asked
        .filter(({ check }) => noted.has(check.checkId))
        .map(({ scope, check }) => ({ municipalityCode: scope.municipalityCode, payload: { ...check } })),
    );
  };
}
