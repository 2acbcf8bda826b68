import type { ZoneContext } from '../../core/index.ts';
import { tenantScope, todayInTokyo } from '../../core/index.ts';
import { personOfSubject } from '../../modules/jpki/index.ts';
import {
  PREFILL_PURPOSE,
  prefillFor,
  type RegistryDb,
  type RegistryPrefill,
} from '../../modules/registry/index.ts';
import {
  derivedMessageId,
  type PrefillPayload,
  prefillRequestV1,
  prefillV1,
  type ZoneGateway,
} from '../gateway/index.ts';

/** The answer's id, derived from the request's: a request pulled again yields the same answer, kept once by lgwan. */
export function prefillAnswerId(requestId: string): string {
  return derivedMessageId(`reply:${prefillV1.type}:${requestId}`);
}

const sexCode = (sex: 1 | 2 | 9) => String(sex) as '1' | '2' | '9';

function answerOf(
  request: { requestId: string; subjectId: string },
  found: RegistryPrefill | null,
  asOf: string,
): PrefillPayload {
  if (!found) return { ...request, found: false, person: null, householdMembers: [], asOf };
  return {
    ...request,
    found: true,
    person: { ...found.person, sex: sexCode(found.person.sex) },
    householdMembers: found.householdMembers.map((member) => ({ ...member, sex: sexCode(member.sex) })),
    asOf: found.asOf,
  };
}

/**
 * mynumber's side of ワンスオンリー for the portal's forms: a request pulled from lgwan's
 * outbox names a subject id (the auth certificate holder's pseudonym); the person behind it,
 * while the certificate is live and they live in the municipality, is read from the registry
 * and the answer pushed back to lgwan inside the handler (as registry checks do: a failed push
 * leaves the request unacknowledged, and the derived answer id makes a second answer harmless).
 * The read is audited as the resident's, with opaque ids and counts — never what was read.
 */
export function wireRegistryPrefill(context: ZoneContext, gateway: ZoneGateway): void {
  gateway.handle(prefillRequestV1, async (message, trx) => {
    const municipalityCode = context.served.require(message.municipalityCode).code;
    const scope = tenantScope(municipalityCode);
    const { requestId, subjectId } = message.payload;
    const asOf = todayInTokyo(context.clock);
    const personId = await personOfSubject(trx, scope, subjectId, context.clock.now());
    const read = personId ? await prefillFor(trx as RegistryDb, scope, personId, asOf) : null;
    let answer = answerOf({ requestId, subjectId }, read, asOf);
    // The registry's bounds are within the message's; should a record ever exceed them, the
    // resident fills the form by hand rather than the request coming back forever.
    const fits = prefillV1.check(answer);
    if (!fits) answer = answerOf({ requestId, subjectId }, null, asOf);
    await context.audit.append(trx, {
      municipalityCode,
      actor: `resident:${subjectId}`,
      action: 'registry.person.read',
      target: personId ?? undefined,
      reason: PREFILL_PURPOSE,
      outcome: answer.found ? 'success' : 'failure',
      details: {
        view: 'prefill',
        via: `gateway:${message.from}`,
        requestId,
        found: answer.found,
        why: answer.found
          ? null
          : !personId
            ? 'no-live-auth-certificate'
            : !read
              ? 'not-resident'
              : 'exceeds-message',
        members: answer.householdMembers.length,
      },
    });
    const receipt = await gateway.send('lgwan', prefillV1, {
      id: prefillAnswerId(requestId),
      municipalityCode,
      payload: answer,
    });
    // Kept in mynumber's inbox as the request's result: ids and a flag, no personal data.
    return { replyId: receipt.id, found: answer.found };
  });
}
