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

/**
 * Participation codes (参加証明コード) for an event of an earning programme: handed to those who
 * came, each worth one grant of the programme to whoever redeems it first. The codes are
 * returned once, for printing; only their digests are kept.
 */
export async function issueGrantCodes(
  db: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  batch: GrantCodeBatch,
  now: Date,
): Promise<string[]> {
  if (!Number.isSafeInteger(batch.count) || batch.count < 1 || batch.count > MAX_BATCH) {
    throw new MachiError('validation-failed', `count is a whole number from 1 to ${MAX_BATCH}.`);
  }
  if (!Number.isSafeInteger(batch.validDays) || batch.validDays < 1 || batch.validDays > MAX_VALID_DAYS) {
    throw new MachiError('validation-failed', `validDays is a whole number from 1 to ${MAX_VALID_DAYS}.`);
  }
  if (!/^[A-Za-z0-9-]{1,60}$/.test(batch.batchId))
    throw new MachiError('validation-failed', 'batchId is 1–60 letters, digits and -.');
  await programmeOf(db as unknown as EarningDb, scope, batch.programmeId);
  const codes = Array.from({ length: batch.count }, () =>
    Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
  );
  const validUntil = new Date(now.getTime() + batch.validDays * 86_400_000);
  const rows = codes.map((code) => ({
    municipality_code: scope.municipalityCode,
    code_sha256: digest(code),
    programme_id: batch.programmeId,
    batch_id: batch.batchId,
    redeemed_by: null,
    redeemed_at: null,
    valid_until: validUntil,
    created_at: now,
  }));
  const codesDb = db as unknown as GrantCodesDb;
  for (let start = 0; start < rows.length; start += 1_000) {
    await codesDb
      .insertInto('points_grant_codes')
      .values(rows.slice(start, start + 1_000))
      .execute();
  }
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
