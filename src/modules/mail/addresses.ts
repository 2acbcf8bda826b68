import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type LgCode, MachiError } from '../../core/index.ts';
import type { MailDb } from './tables.ts';

type Resident = { readonly id: string; readonly municipalityCode: LgCode };
const hash = (token: string) => createHash('sha256').update(token).digest('hex');

// The practical subset of RFC 5321/5322 addresses people type: one @, no spaces or controls,
// a dotted domain. Anything stranger is refused rather than half-understood.
const ADDRESS =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function parseMailAddress(input: string): string {
  const address = input.trim();
  if (address.length > 254 || !ADDRESS.test(address)) {
    throw new MachiError('validation-failed', 'This is not an e-mail address we can send to.', {
      errors: [{ path: '/address', problem: 'メールアドレスの形式が正しくありません。' }],
    });
  }
  return address;
}

/**
 * A resident gives (or changes) the address for notices: kept unconfirmed, with a one-time
 * token for the link mailed to it; until confirmed nothing else is sent there.
 */
export async function setMailAddress(
  // biome-ignore lint/suspicious/noExplicitAny: the caller's transaction, of any tables.
  trx: Kysely<any>,
  resident: Resident,
  input: string,
  now: Date,
): Promise<{ address: string; token: string }> {
  const address = parseMailAddress(input);
  const token = randomBytes(32).toString('base64url');
  const values = { address, confirm_token_hash: hash(token), confirmed_at: null, updated_at: now };
  await (trx as MailDb)
    .insertInto('mail_addresses')
    .values({ municipality_code: resident.municipalityCode, resident: resident.id, ...values })
    .onConflict((conflict) => conflict.columns(['municipality_code', 'resident']).doUpdateSet(values))
    .execute();
  return { address, token };
}

/** The link was followed: the address is confirmed (a token works once). */
export async function confirmMailAddress(
  // biome-ignore lint/suspicious/noExplicitAny: the zone's database, of any tables.
  db: Kysely<any>,
  token: string,
  now: Date,
): Promise<boolean> {
  const updated = await (db as MailDb)
    .updateTable('mail_addresses')
    .set({ confirmed_at: now, confirm_token_hash: null, updated_at: now })
    .where('confirm_token_hash', '=', hash(token))
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

export async function removeMailAddress(
  // biome-ignore lint/suspicious/noExplicitAny: the zone's database, of any tables.
  db: Kysely<any>,
  resident: Resident,
): Promise<void> {
  await (db as MailDb)
    .deleteFrom('mail_addresses')
    .where('municipality_code', '=', resident.municipalityCode)
    .where('resident', '=', resident.id)
    .execute();
}

/** The resident's address and whether it is confirmed, or undefined. */
export async function mailAddressOf(
  // biome-ignore lint/suspicious/noExplicitAny: the zone's database or a transaction, of any tables.
  db: Kysely<any>,
  resident: Resident,
): Promise<{ address: string; confirmed: boolean } | undefined> {
  const row = await (db as MailDb)
    .selectFrom('mail_addresses')
    .select(['address', 'confirmed_at'])
    .where('municipality_code', '=', resident.municipalityCode)
    .where('resident', '=', resident.id)
    .executeTakeFirst();
  return row ? { address: row.address, confirmed: row.confirmed_at !== null } : undefined;
}
