/**
 * Object identifiers of the JPKI profile (公的個人認証サービス) and of the X.509 /
 * PKIX parts Machi uses. J-LIS registers the JPKI arc 1.2.392.200149.8.5 (Japan →
 * J-LIS → JPKI); the basic-four otherName types below are the ones J-LIS's signing
 * certificates carry in subjectAltName.
 */
export const jpkiOids = {
  /** 氏名 — the name as registered (UTF8String). */
  name: '1.2.392.200149.8.5.5.1',
  /** 氏名代替文字の使用位置 — where substitute characters stand in the name. */
  nameSubstitute: '1.2.392.200149.8.5.5.2',
  /** 性別 — ISO/IEC 5218 digit: 1 male, 2 female, 9 not applicable. */
  sex: '1.2.392.200149.8.5.5.3',
  /** 生年月日 — YYYYMMDD. */
  dateOfBirth: '1.2.392.200149.8.5.5.4',
  /** 住所 — the address as registered (UTF8String). */
  address: '1.2.392.200149.8.5.5.5',
  /** 住所代替文字の使用位置 — where substitute characters stand in the address. */
  addressSubstitute: '1.2.392.200149.8.5.5.6',
} as const;

export const pkixOids = {
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  ocsp: '1.3.6.1.5.5.7.48.1',
  caIssuers: '1.3.6.1.5.5.7.48.2',
  certificatePolicies: '2.5.29.32',
  subjectAltName: '2.5.29.17',
  keyUsage: '2.5.29.15',
  extendedKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
} as const;
