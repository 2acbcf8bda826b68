import { describe, expect, it } from 'vitest';
import { MachiError } from '../errors/index.ts';
import { lgCodeCheckDigit, parseLgCode } from './lg-code.ts';
import { findMunicipality, nationalList } from './municipalities.ts';

describe('地方公共団体コード', () => {
  it('computes the JIS X 0402 check digit, including the remainder 0 and 1 cases', () => {
    expect(lgCodeCheckDigit('13101')).toBe(6); // 千代田区 131016
    expect(lgCodeCheckDigit('01100')).toBe(2); // 札幌市 011002
    expect(lgCodeCheckDigit('47201')).toBe(8); // 那覇市 472018
  });

  it('accepts valid codes and names the expected digit for a wrong one', () => {
    expect(parseLgCode('131016')).toBe('131016');
    expect(() => parseLgCode('131017')).toThrowError(/expected 6/);
    for (const bad of ['13101', '1310160', '13101a', '', 131016, null]) {
      expect(() => parseLgCode(bad)).toThrow(MachiError);
    }
  });

  it('loads the national list with every code passing its check digit', () => {
    const all = nationalList();
    const counts = { prefecture: 0, city: 0, ward: 0 };
    for (const m of all.values()) counts[m.kind] += 1;
    expect(counts).toEqual({ prefecture: 47, city: 1741, ward: 175 });
    expect(findMunicipality('131016').name).toBe('千代田区');
    expect(findMunicipality('011011').name).toBe('札幌市中央区');
  });

  it('refuses a well-formed code that names no municipality', () => {
    // 99999 has a valid check digit but no such body exists.
    const code = `99999${lgCodeCheckDigit('99999')}`;
    expect(() => findMunicipality(code)).toThrowError(
      expect.objectContaining({ code: 'municipality-unknown' }),
    );
  });
});
