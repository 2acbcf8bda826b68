import { readFileSync } from 'node:fs';
import { MachiError } from '../errors/index.ts';
import { type LgCode, parseLgCode } from './lg-code.ts';

export type MunicipalityKind = 'prefecture' | 'city' | 'ward';

/** One entry of the national list (全国地方公共団体コード). */
export interface Municipality {
  readonly code: LgCode;
  readonly prefecture: string;
  readonly name: string;
  readonly nameKana: string;
  readonly nameEn?: string;
  readonly kind: MunicipalityKind;
  readonly url: string;
}

const dataDir = new URL('./data/', import.meta.url);

/** Splits one line of the national list's simple CSV (no quoted commas occur in it). */
function rows(file: string): string[][] {
  const text = readFileSync(new URL(file, dataDir), 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  return lines.slice(1).map((line) => line.split(','));
}

function load(): Map<string, Municipality> {
  const all = new Map<string, Municipality>();
  // prefjp: pid,pref,prefkana,prefshort,prefshortkana,pref_en,pref3code,url,lgcode,…
  for (const r of rows('prefjp-utf8.csv')) {
    const code = parseLgCode((r[8] ?? '').padStart(6, '0'));
    all.set(code, {
      code,
      prefecture: r[1]!,
      name: r[1]!,
      nameKana: r[2]!,
      nameEn: r[5]!,
      kind: 'prefecture',
      url: r[7]!,
    });
  }
  // localgovjp: pid,pref,cid,city,citykana,lat,lng,url,phrase,lgcode
  for (const r of rows('localgovjp-utf8.csv')) {
    const code = parseLgCode(r.at(-1));
    const name = r[3]!;
    all.set(code, {
      code,
      prefecture: r[1]!,
      // Wards of designated cities are written "札幌市 中央区" in the source.
      name: name.replace(' ', ''),
      nameKana: r[4]!.replace(' ', ''),
      kind: name.includes(' ') ? 'ward' : 'city',
      url: r[7]!,
    });
  }
  return all;
}

let national: Map<string, Municipality> | undefined;

/** The national list, loaded once. 47 prefectures + 1,741 municipalities + 175 wards. */
export function nationalList(): ReadonlyMap<string, Municipality> {
  national ??= load();
  return national;
}

/** Validates the code (check digit) and finds it in the national list. */
export function findMunicipality(input: unknown): Municipality {
  const code = parseLgCode(input);
  const found = nationalList().get(code);
  if (!found) throw new MachiError('municipality-unknown', `No municipality has the code ${code}.`, { code });
  return found;
}
