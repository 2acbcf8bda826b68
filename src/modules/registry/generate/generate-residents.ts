import { Readable } from 'node:stream';
import { findMunicipality, parseIsoDate } from '../../../core/index.ts';
import { type ResidentCsvRow, residentCsvHeader, residentCsvLine } from '../import/csv-format.ts';
import { DemoCodes } from './codes.ts';
import { planHousehold } from './households.ts';
import {
  femaleNamesOlder,
  femaleNamesYounger,
  maleNamesOlder,
  maleNamesYounger,
  type Name,
  okinawaSurnames,
  surnames,
} from './names.ts';
import { addressIn, townsOf } from './places.ts';
import { hashString, Random } from './random.ts';

export interface GenerateResidentsOptions {
  /** 地方公共団体コード of the municipality the residents live in. */
  readonly municipality: string;
  readonly count: number;
  /** Same seed, same residents (default 1). */
  readonly seed?: number;
  /** The day the registry describes, 'YYYY-MM-DD' (default 2025-04-01, fixed for determinism). */
  readonly asOf?: string;
}

const DAY_MS = 86_400_000;
const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** A Zipf-like draw (weight 1 / (rank + 8)): the common surnames are common, the rest still appear. */
function zipf(list: readonly Name[]) {
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 0; rank < list.length; rank++) {
    total += 1 / (rank + 8);
    cumulative.push(total);
  }
  return (random: Random): Name => {
    const r = random.next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid]! > r) high = mid;
      else low = mid + 1;
    }
    return list[low]!;
  };
}

const pickSurname = zipf(surnames);
const pickOkinawaSurname = zipf(okinawaSurnames);

function givenName(random: Random, sex: 1 | 2, birthYear: number): Name {
  // Fashions in names changed over the 1970s-80s; around then either list may be drawn.
  const younger = birthYear >= 1985 || (birthYear >= 1965 && random.chance((birthYear - 1965) / 20));
  if (sex === 1) return random.pick(younger ? maleNamesYounger : maleNamesOlder);
  return random.pick(younger ? femaleNamesYounger : femaleNamesOlder);
}

/**
 * Realistic demo residents of one municipality, one row at a time (a million rows need no
 * more memory than ten): households of one to six people sharing surname and address, ages
 * after Japan's pyramid, valid and unique 住民票コード and 個人番号. Deterministic: the
 * output depends only on the options.
 */
export function* generateResidents(options: GenerateResidentsOptions): Generator<ResidentCsvRow> {
  const municipality = findMunicipality(options.municipality);
  const seed = options.seed ?? 1;
  const random = new Random(seed, hashString(municipality.code));
  const towns = townsOf(municipality, random);
  const codes = new DemoCodes(hashString(`${seed}:${municipality.code}`));
  const asOfDay = Math.floor(Date.parse(parseIsoDate(options.asOf ?? '2025-04-01')) / DAY_MS);
  const okinawa = municipality.code.startsWith('47');
  let index = 0;
  let household = 0;
  while (index < options.count) {
    household++;
    const plan = planHousehold(random);
    const surname = okinawa && random.chance(0.5) ? pickOkinawaSurname(random) : pickSurname(random);
    const town = random.pick(towns);
    const address = addressIn(town, random);
    const head = plan[0]!;
    const yearsHere = random.int(Math.max(1, Math.min(head.age - 18, 40)) + 1);
    const movedIn = asOfDay - yearsHere * 365 - random.int(365);
    for (const member of plan) {
      if (index >= options.count) break;
      const birthDay = asOfDay - Math.floor(member.age * 365.2425) - random.int(365);
      const birthDate = isoDay(birthDay);
      const given = givenName(random, member.sex, Number(birthDate.slice(0, 4)));
      yield {
        resident_code: codes.residentCode(index),
        my_number: codes.myNumber(index),
        family_name: surname.kanji,
        given_name: given.kanji,
        family_name_kana: surname.kana,
        given_name_kana: given.kana,
        sex: String(member.sex),
        birth_date: birthDate,
        postal_code: town.postalCode,
        address,
        household_key: `H${household}`,
        relationship: member.relationship,
        address_since: isoDay(Math.max(movedIn, birthDay)),
      };
      index++;
    }
  }
}

/** The generated residents as resident CSV text (header first), streamed in batches of lines. */
export function generateResidentsCsv(options: GenerateResidentsOptions): Readable {
  function* lines() {
    yield residentCsvHeader;
    let batch = '';
    let rows = 0;
    for (const row of generateResidents(options)) {
      batch += residentCsvLine(row);
      if (++rows === 1000) {
        yield batch;
        batch = '';
        rows = 0;
      }
    }
    if (batch !== '') yield batch;
  }
  return Readable.from(lines(), { objectMode: false });
}
