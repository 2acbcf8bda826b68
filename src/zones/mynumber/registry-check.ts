import { createHash } from 'node:crypto';
import type { LgCode, ZoneContext } from '../../core/index.ts';
import { tenantScope, todayInTokyo } from '../../core/index.ts';
import { checkBasicFour, type RegistryDb } from '../../modules/registry/index.ts';
import { basicFourCheckV1, basicFourResultV1, derivedMessageId, type ZoneGateway } from '../gateway/index.ts';

/** The answer's id, derived from the check's: a check pulled again yields the same answer, kept once by lgwan. */
export function basicFourResultId(checkId: string): string {
  return derivedMessageId(`reply:${basicFourResultV1.type}:${checkId}`);
}

/**
 * What lgwan learns of a 世帯: a pseudonym, the same for every check of its members, that
 * cannot be turned back into the registry's household id (a random UUID lgwan never sees)
 * without this zone's data. Shaped as a UUID (version 8, RFC 9562 §5.8).
 */
function householdPseudonym(municipalityCode: LgCode, householdId: string): string {
  const hex = createHash('sha256').update(`machi:household:${municipalityCode}:${householdId}`).digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * mynumber's side of 住基照会 for filings: a check pulled from lgwan's outbox is answered
 * from the registry and the answer pushed back inside the handler (as population
 * statistics do): if the push fails the check is not acknowledged and comes back, and the
 * derived answer id makes a second answer harmless. The lookup is audited with opaque ids
 * and the outcome only — no name, address or date crosses into the log.
 */
export function wireRegistryCheck(context: ZoneContext, gateway: ZoneGateway): void {
  gateway.handle(basicFourCheckV1, async (message, trx) => {
    const municipalityCode = context.served.require(message.municipalityCode).code;
    const { checkId, submissionId, version, ...basicFour } = message.payload;
    const now = context.clock.now();
    const found = await checkBasicFour(
      trx as RegistryDb,
      tenantScope(municipalityCode),
      basicFour,
      todayInTokyo(context.clock),
    );
    await context.audit.append(trx, {
      municipalityCode,
      actor: `gateway:${message.from}`,
      action: 'registry.basic-four.check',
      target: found.personId ?? undefined,
      reason: 'notification-review',
      outcome: 'success',
      details: {
        checkId,
        submissionId,
        version,
        outcome: found.outcome,
        candidates: found.candidates,
      },
    });
    const receipt = await gateway.send('lgwan', basicFourResultV1, {
      id: basicFourResultId(checkId),
      municipalityCode,
      payload: {
        checkId,
        submissionId,
        version,
        outcome: found.outcome,
        fields: { ...found.fields },
        checkedAt: now.toISOString(),
        asOf: found.asOf,
        householdId: found.householdId ? householdPseudonym(municipalityCode, found.householdId) : null,
      },
    });
    return { replyId: receipt.id, outcome: found.outcome };
  });
}
