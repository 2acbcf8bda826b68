import { MachiError } from '../errors/index.ts';
import type { LgCode } from './lg-code.ts';
import { findMunicipality, type Municipality } from './municipalities.ts';

/**
 * The municipalities one deployment serves (自治体クラウド: one cloud, many towns).
 * A code that is valid nationally but not served here is refused at the edge.
 */
export class ServedMunicipalities {
  private readonly byCode: ReadonlyMap<string, Municipality>;

  constructor(codes: readonly string[]) {
    this.byCode = new Map(codes.map((code) => [code, findMunicipality(code)] as const));
  }

  list(): Municipality[] {
    return [...this.byCode.values()];
  }

  codes(): LgCode[] {
    return [...this.byCode.values()].map((m) => m.code);
  }

  /** Parses a code from a request and requires that this deployment serves it. */
  require(input: unknown): Municipality {
    const municipality = findMunicipality(input);
    if (!this.byCode.has(municipality.code)) {
      throw new MachiError(
        'municipality-not-served',
        `${municipality.name} (${municipality.code}) is not served here.`,
        {
          code: municipality.code,
        },
      );
    }
    return municipality;
  }
}
