import { myNumberCheckDigit, residentCodeCheckDigit } from '../identifiers/index.ts';

// i ↦ (i·A + B) mod M is a bijection on 0..M−1 when gcd(A, M) = 1, so distinct indexes give
// distinct codes without remembering any: a million rows need no million-entry set.
// The bodies start with 1–9 (M = 9·10^k, offset 10^k) so no code has a leading zero.
const RESIDENT_MODULUS = 9_000_000_000n; // 10-digit bodies
const RESIDENT_MULTIPLIER = 7_391_852_647n; // not divisible by 2, 3 or 5
const MY_NUMBER_MODULUS = 90_000_000_000n; // 11-digit bodies
const MY_NUMBER_MULTIPLIER = 58_293_716_491n; // not divisible by 2, 3 or 5

/** The 住民票コード and 個人番号 of the i-th generated person, valid and unique per `salt`. */
export class DemoCodes {
  private readonly residentOffset: bigint;
  private readonly myNumberOffset: bigint;

  constructor(salt: number) {
    this.residentOffset = (BigInt(salt >>> 0) * 2_654_435_761n) % RESIDENT_MODULUS;
    this.myNumberOffset = (BigInt(salt >>> 0) * 40_503_918_711n) % MY_NUMBER_MODULUS;
  }

  residentCode(index: number): string {
    const body = String(
      1_000_000_000n + ((BigInt(index) * RESIDENT_MULTIPLIER + this.residentOffset) % RESIDENT_MODULUS),
    );
    return body + residentCodeCheckDigit(body);
  }

  myNumber(index: number): string {
    const body = String(
      10_000_000_000n + ((BigInt(index) * MY_NUMBER_MULTIPLIER + this.myNumberOffset) % MY_NUMBER_MODULUS),
    );
    return body + myNumberCheckDigit(body);
  }
}
