import type { Kysely } from 'kysely';
import type { LgCode, ZoneContext } from '../../core/index.ts';
import { tenantScope } from '../../core/index.ts';
import {
  markRegistryCheckRequested,
  recordRegistryCheck,
  registryCheckFor,
} from '../../modules/procedures/index.ts';
import { basicFourCheckV1, basicFourResultV1, type ZoneGateway } from '../gateway/index.ts';

// biome-ignore lint/suspicious/noExplicitAny: the handler's transaction, of any tables.
type AnyTransaction = Kysely<any>;

/** Asks the registry about a version's signer, inside the transaction that received the version. */
export type RequestRegistryCheck = (
  trx: AnyTransaction,
  municipalityCode: LgCode,
  submissionId: string,
  version: number,
) => Promise<void>;

/**
 * lgwan's side of 住基照会 for filings: each version received with a usable signature leaves
 * a question for mynumber in the outbox (lgwan never connects to mynumber: mynumber pulls it),
 * and the answer mynumber pushes back is kept for the case view. Returns what the case
 * handlers call when a filing or a correction arrives.
 */
export function wireRegistryCheck(context: ZoneContext, gateway: ZoneGateway): RequestRegistryCheck {
  gateway.handle(basicFourResultV1, async (message, trx) => {
    const scope = tenantScope(context.served.require(message.municipalityCode).code);
    const recorded = await recordRegistryCheck(trx, scope, message.payload, context.clock.now());
    return { recorded };
  });
  return async (trx, municipalityCode, submissionId, version) => {
    const scope = tenantScope(municipalityCode);
    const question = await registryCheckFor(trx, scope, submissionId, version);
    // A certificate whose items do not fit the message (never one the JPKI issues) is not
    // asked about: the case shows no check rather than failing to open.
    if (!question || !basicFourCheckV1.check(question)) return;
    if (!(await markRegistryCheckRequested(trx, scope, question, context.clock.now()))) return;
    await gateway.enqueue(trx, 'mynumber', basicFourCheckV1, {
      municipalityCode,
      payload: { ...question },
    });
  };
}
