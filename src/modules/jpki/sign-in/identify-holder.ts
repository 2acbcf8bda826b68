import { sql } from 'kysely';
import { isLgCode, type LgCode, MachiError } from '../../../core/index.ts';
import { type Challenge, challengeUsed, createChallenge } from './challenge.ts';
import { checkCardAnswer, type SignInAnswer, type SignInContext } from './sign-in.ts';

/** Who holds a card that answered a challenge: the pseudonymous holder, never the card's contents. */
export interface CardHolder {
  readonly municipalityCode: LgCode;
  readonly subjectId: string;
  readonly authSerial: string;
}

/** A challenge for a card reader (a facility's terminal): bound to `reader`, not to a web origin. */
export function cardReadChallenge(context: SignInContext, reader: string): Challenge {
  return createChallenge(context.challengeKey, `reader:${reader}`, context.clock.now());
}

/**
 * Who holds the card that signed `answer` for `reader`, checked as a sign-in is (certificate,
 * signature over the challenge, revocation, a card issued here and not revoked, the challenge
 * spent once) but starting no session: a card reader at a counter learns the holder, then asks
 * its own question about them. Audited as a card read by `actor`.
 */
export async function identifyCardHolder(
  context: SignInContext,
  answer: SignInAnswer,
  reader: string,
  actor: string,
): Promise<CardHolder> {
  const { verified, challenge } = await checkCardAnswer(context, answer, `reader:${reader}`);
  const { nonce, expiresAt } = challenge;
  const status = await sql<{
    municipality_code: string;
    kind: string;
    revoked_at: Date | null;
    subject_id: string | null;
  }>`
    select municipality_code, kind, revoked_at, subject_id from jpki_status
    where serial_number = ${verified.serialNumber}`.execute(context.database.db);
  const row = status.rows[0];
  if (row?.kind !== 'auth' || !row.subject_id || !isLgCode(row.municipality_code)) {
    throw new MachiError('certificate-status-unknown', 'This card is not registered with this service yet.');
  }
  if (row.revoked_at) throw new MachiError('certificate-revoked');
  const spent = await sql`insert into jpki_used_challenges (nonce, expires_at) values (${nonce}, ${expiresAt})
    on conflict (nonce) do nothing returning nonce`.execute(context.database.db);
  if (spent.rows.length !== 1) throw challengeUsed();
  await context.audit.record({
    municipalityCode: row.municipality_code,
    actor,
    action: 'jpki.card-read',
    target: verified.serialNumber,
    outcome: 'success',
  });
  return {
    municipalityCode: row.municipality_code,
    subjectId: row.subject_id,
    authSerial: verified.serialNumber,
  };
}
