import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { TenantScope } from '../../core/index.ts';

export interface MyKeyTables {
  mykey_ids: { municipality_code: string; subject_id: string; mykey_id: string; created_at: Date };
}
export type MyKeyDb = Kysely<MyKeyTables>;

// No 0/O, 1/I/L: read out at a facility counter.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** `MK` and 12 random characters (~59 bits): unguessable, and nothing in it says who it is. */
function newMyKeyId(): string {
  return `MK${Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')}`;
}

/** Most MyKey IDs one process remembers per database; the oldest is forgotten first. */
const REMEMBERED = 100_000;
const remembered = new WeakMap<MyKeyDb, Map<string, string>>();

/**
 * The resident's MyKey ID, if set up. An id once set up never changes and is never removed,
 * so the process remembers the ones it has read (outside transactions, so never one that
 * could still roll back): a payment then reads no row for it. Why: every resident request
 * of the points API starts here, and on a busy zone each statement's round trip to
 * PostgreSQL costs the process more than the lookup costs the server.
 */
export async function myKeyIdOf(
  db: MyKeyDb,
  scope: TenantScope,
  subjectId: string,
): Promise<string | undefined> {
  const key = `${scope.municipalityCode}:${subjectId}`;
  const known = db.isTransaction ? undefined : remembered.get(db);
  const cached = known?.get(key);
  if (cached) return cached;
  const row = await db
    .selectFrom('mykey_ids')
    .select('mykey_id')
    .where('municipality_code', '=', scope.municipalityCode)
    .where('subject_id', '=', subjectId)
    .executeTakeFirst();
  if (row && !db.isTransaction) remember(db, key, row.mykey_id);
  return row?.mykey_id;
}

function remember(db: MyKeyDb, key: string, myKeyId: string): void {
  let known = remembered.get(db);
  if (!known) {
    known = new Map();
    remembered.set(db, known);
  }
  if (known.size >= REMEMBERED) known.delete(known.keys().next().value as string);
  known.set(key, myKeyId);
}

/**
 * Sets up the resident's MyKey ID, or answers the one set up before (a second tap, two tabs
 * at once): one id per card holder and municipality. `created` says whether it is new.
 */
export async function setUpMyKeyId(
  db: MyKeyDb,
  scope: TenantScope,
  subjectId: string,
  now: Date,
): Promise<{ myKeyId: string; created: boolean }> {
  for (;;) {
    const inserted = await db
      .insertInto('mykey_ids')
      .values({
        municipality_code: scope.municipalityCode,
        subject_id: subjectId,
        mykey_id: newMyKeyId(),
        created_at: now,
      })
      .onConflict((conflict) => conflict.doNothing())
      .returning('mykey_id')
      .executeTakeFirst();
    if (inserted) return { myKeyId: inserted.mykey_id, created: true };
    const existing = await myKeyIdOf(db, scope, subjectId);
    if (existing) return { myKeyId: existing, created: false };
    // The drawn id was someone else's (1 in 2^59 per resident): draw again.
  }
}
