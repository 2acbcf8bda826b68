import { createHash, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { MachiError, type TenantScope, toHalfWidthAscii } from '../../../core/index.ts';
import { inTransaction, type LedgerContext, type Transfer } from '../ledger/post-transfer.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';
import { earnPoints } from './earn-points.ts';
import { type EarningDb, type Programme, programmeOf } from './programmes.ts';

interface GrantCodesTable {
  municipality_code: string;
  code_sha256: string;
  programme_id: string;
  batch_id: string;
  redeemed_by: string | null;
  redeemed_at: Date | null;
  valid_until: Date;
  created_at: Date;
}

type GrantCodesDb = Kysely<{ points_grant_codes: GrantCodesTable }>;

/** Crockford's base32: no I, L, O or U, so a code read aloud or copied from paper is not mistaken. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 12;
/** 60 bits of chance: guessing one of a batch of 10,000 takes ~10¹⁴ tries. */
const MAX_BATCH = 10_000;
const MAX_VALID_DAYS = 366;

const digest = (code: string) => createHash('sha256').update(code).digest('hex');

/**
 * A typed code as stored: full-width letters folded, lower case raised, hyphens (also ー typed
 * by a Japanese keyboard) and spaces dropped, and Crockford's look-alikes read as digits.
 */
export function normalizeGrantCode(typed: string): string {
  return toHalfWidthAscii(typed)
    .toUpperCase()
    .replace(/[\s\-ー−‐]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
}

/** XXXX-XXXX-XXXX, as printed on a participation card. */
export function formatGrantCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

export interface GrantCodeBatch {
  readonly programmeId: string;
  /** Names the batch (the event and its day), so staff can tell how many were redeemed. */
  readonly batchId: string;
  readonly count: number;
  readonly validDays: number;
}

/** `count` new participation codes, for printing: Crockford base32 from node:crypto. */
export function newGrantCodes(count: number): string[] {
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_BATCH) {
    throw new MachiError('validation-failed', `count is a whole number from 1 to ${MAX_BATCH}.`);
  }
  return Array.from({ length: count }, () =>
    Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
  );
}

/** What is kept of a code: its SHA-256, hex (the digest that travels from lgwan, too). */
export const grantCodeDigest = (code: string): string => digest(normalizeGrantCode(code));

/**
 * Keeps a batch's code digests for a programme, valid until `validUntil`: each code worth one
 * grant to whoever redeems it first. A digest kept before stays as it was (a batch sent again).
 */
export async function storeGrantCodeDigests(
  db: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  batch: { readonly programmeId: string; readonly batchId: string; readonly validUntil: Date },
  digests: readonly string[],
  now: Date,
): Promise<void> {
  if (!/^[A-Za-z0-9-]{1,60}$/.test(batch.batchId))
    throw new MachiError('validation-failed', 'batchId is 1–60 letters, digits and -.');
  if (digests.some((one) => !/^[0-9a-f]{64}$/.test(one)))
    throw new MachiError('validation-failed', 'A code digest is 64 hex digits.');
  await programmeOf(db as unknown as EarningDb, scope, batch.programmeId);
  const rows = digests.map((codeSha256) => ({
    municipality_code: scope.municipalityCode,
    code_sha256: codeSha256,
    programme_id: batch.programmeId,
    batch_id: batch.batchId,
    redeemed_by: null,
    redeemed_at: null,
    valid_until: batch.validUntil,
    created_at: now,
  }));
  const codesDb = db as unknown as GrantCodesDb;
  for (let start = 0; start < rows.length; start += 1_000) {
    await codesDb
      .insertInto('points_grant_codes')
      .values(rows.slice(start, start + 1_000))
      .onConflict((conflict) => conflict.columns(['municipality_code', 'code_sha256']).doNothing())
      .execute();
  }
}

/** The day a batch made now for `validDays` stops being redeemable. */
export function grantCodesValidUntil(now: Date, validDays: number): Date {
  if (!Number.isSafeInteger(validDays) || validDays < 1 || validDays > MAX_VALID_DAYS) {
    throw new MachiError('validation-failed', `validDays is a whole number from 1 to ${MAX_VALID_DAYS}.`);
  }
  return new Date(now.getTime() + validDays * 86_400_000);
}

/**
 * Participation codes (参加証明コード) for an event of an earning programme, made and kept here
 * at once (tests, demos; staff make them in lgwan, which sends only the digests). The codes are
 * returned once, for printing.
 */
export async function issueGrantCodes(
  db: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  batch: GrantCodeBatch,
  now: Date,
): Promise<string[]> {
  const validUntil = grantCodesValidUntil(now, batch.validDays);
  const codes = newGrantCodes(batch.count);
  await storeGrantCodeDigests(db, scope, { ...batch, validUntil }, codes.map(digest), now);
  return codes;
}

const unknownCode = () =>
  new MachiError(
    'not-found',
    'No such participation code: check it letter by letter (0 and O, 1 and I are read alike).',
  );

/** The programme a participation code grants for (to know, before redeeming, whether it has an age limit). */
export async function programmeOfGrantCode(
  db: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  typed: string,
): Promise<Programme> {
  const code = normalizeGrantCode(typed);
  if (code.length !== CODE_LENGTH || [...code].some((c) => !ALPHABET.includes(c))) throw unknownCode();
  const row = await (db as unknown as GrantCodesDb)
    .selectFrom('points_grant_codes')
    .select('programme_id')
    .where('municipality_code', '=', scope.municipalityCode)
    .where('code_sha256', '=', digest(code))
    .executeTakeFirst();
  if (!row) throw unknownCode();
  return programmeOf(db as unknown as EarningDb, scope, row.programme_id);
}

/**
 * A resident redeems a participation code: the code marked as theirs and the programme's grant
 * made in one transaction, so a code refused by the programme's cap stays unused. The same
 * resident again is answered with the first grant; anyone else learns the code was used.
 */
export async function redeemGrantCode(
  db: Kysely<PointsLedgerTables>,
  context: LedgerContext,
  scope: TenantScope,
  redemption: { readonly code: string; readonly myKeyId: string; readonly birthDate?: string | null },
): Promise<{ transfer: Transfer; programme: Programme }> {
  const code = normalizeGrantCode(redemption.code);
  if (code.length !== CODE_LENGTH || [...code].some((c) => !ALPHABET.includes(c))) throw unknownCode();
  const now = context.clock.now();
  const codeSha256 = digest(code);
  return inTransaction(db, async (trx) => {
    const codes = trx as unknown as GrantCodesDb;
    const row = await codes
      .selectFrom('points_grant_codes')
      .selectAll()
      .where('municipality_code', '=', scope.municipalityCode)
      .where('code_sha256', '=', codeSha256)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw unknownCode();
    if (row.redeemed_by !== null && row.redeemed_by !== redemption.myKeyId) {
      throw new MachiError('conflict', 'This participation code has already been used.');
    }
    if (row.redeemed_by === null) {
      if (row.valid_until.getTime() <= now.getTime())
        throw new MachiError('conflict', 'This participation code has expired.');
      await codes
        .updateTable('points_grant_codes')
        .set({ redeemed_by: redemption.myKeyId, redeemed_at: now })
        .where('municipality_code', '=', scope.municipalityCode)
        .where('code_sha256', '=', codeSha256)
        .execute();
    }
    const transfer = await earnPoints(
      trx,
      context,
      scope,
      {
        programmeId: row.programme_id,
        myKeyId: redemption.myKeyId,
        grantId: `code-${codeSha256.slice(0, 32)}`,
        birthDate: redemption.birthDate ?? null,
      },
      `resident:${redemption.myKeyId}`,
    );
    return { transfer, programme: await programmeOf(trx as unknown as EarningDb, scope, row.programme_id) };
  });
}
