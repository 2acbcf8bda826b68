import { MachiError, parseWareki, type TenantScope } from '../../../core/index.ts';
import { normalizeKana } from '../kana.ts';
import type { RegistryDb } from '../registry-context.ts';
import { clampLimit, escapeLike, toPage } from './paging.ts';
import type { Page, PersonSummary } from './types.ts';

export interface PersonSearch {
  /** Kana in any form (ひらがな, カタカナ, ﾊﾝｶｸ); "姓 名" with a space narrows by given name too. */
  readonly kana?: string | undefined;
  /** Name as written (kanji), a prefix of the family name, or "姓 名". */
  readonly name?: string | undefined;
  /** 'YYYY-MM-DD' or 和暦 as people write it (昭和55年2月29日, S55.2.29). */
  readonly birthDate?: string | undefined;
  /** Prefix of the address within the municipality. */
  readonly address?: string | undefined;
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
}

/** Splits "姓 名" into a family-name prefix and an optional given-name prefix. */
function splitName(text: string): [string, string | undefined] {
  const [family = '', ...rest] = text.split(' ');
  const given = rest.join('');
  return [family, given.length > 0 ? given : undefined];
}

/**
 * Search the registry. Each criterion is a prefix (or exact date) served by its own index
 * (see migrations: *_kana, *_name, *_birth, *_address); at least one is required so a
 * search never scans a whole municipality. Results carry no My Number.
 */
export async function searchPersons(
  db: RegistryDb,
  scope: TenantScope,
  criteria: PersonSearch,
): Promise<Page<PersonSummary>> {
  const limit = clampLimit(criteria.limit);
  const offset = Math.max(0, criteria.offset ?? 0);
  const kana = criteria.kana ? normalizeKana(criteria.kana) : '';
  const name = criteria.name ? criteria.name.normalize('NFKC').replace(/\s+/g, ' ').trim() : '';
  const address = criteria.address ? criteria.address.normalize('NFC').trim() : '';
  const birthDate = criteria.birthDate ? parseBirthDate(criteria.birthDate) : undefined;
  if (!kana && !name && !address && !birthDate) {
    throw new MachiError('validation-failed', 'Give at least one of kana, name, birthDate or address.', {
      field: 'kana',
    });
  }
  let query = db
    .selectFrom('registry_persons')
    .select([
      'resident_code',
      'family_name',
      'given_name',
      'family_name_kana',
      'given_name_kana',
      'birth_date',
      'address',
      'status',
    ])
    .where('municipality_code', '=', scope.municipalityCode);
  if (kana) {
    const [family, given] = splitName(kana);
    query = query.where('family_name_kana', 'like', `${escapeLike(family)}%`);
    if (given) query = query.where('given_name_kana', 'like', `${escapeLike(given)}%`);
  }
  if (name) {
    const [family, given] = splitName(name);
    query = query.where('family_name', 'like', `${escapeLike(family)}%`);
    if (given) query = query.where('given_name', 'like', `${escapeLike(given)}%`);
  }
  if (birthDate) query = query.where('birth_date', '=', birthDate);
  if (address) query = query.where('address', 'like', `${escapeLike(address)}%`);
  const rows = await query
    .orderBy('family_name_kana')
    .orderBy('given_name_kana')
    .orderBy('resident_code')
    .limit(limit + 1)
    .offset(offset)
    .execute();
  return toPage(rows, limit, offset, (row) => ({
    residentCode: row.resident_code,
    familyName: row.family_name,
    givenName: row.given_name,
    familyNameKana: row.family_name_kana,
    givenNameKana: row.given_name_kana,
    birthDate: row.birth_date,
    address: row.address,
    status: row.status,
  }));
}

function parseBirthDate(text: string): string {
  try {
    return parseWareki(text);
  } catch (error) {
    if (error instanceof MachiError) throw new MachiError(error.code, error.detail, { field: 'birthDate' });
    throw error;
  }
}
