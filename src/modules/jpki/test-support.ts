// Shared by the jpki tests: a hierarchy and certificates issued from it. Not part of the
// module's API (index.ts does not export it); tests import it directly.
import type { CertificateKind, Hierarchy, StatusLocations } from './pki/authority.ts';
import type { BasicFour } from './pki/basic-four.ts';
import { generateRsaKeyPair, RSA_SHA256, x509 } from './pki/crypto.ts';
import { createHierarchy } from './pki/hierarchy.ts';
import { issueCertificate } from './pki/issue-certificate.ts';

export const testLocations: StatusLocations = {
  ocspUrl: 'http://127.0.0.1:3000/jpki/ocsp',
  crlBaseUrl: 'http://127.0.0.1:3000/jpki/crl',
};

export const testBasicFour: BasicFour = {
  name: '山田 太郎',
  nameSubstitute: '',
  sex: '1',
  dateOfBirth: '1958-04-01',
  address: '東京都千代田区千代田一丁目1番1号',
  addressSubstitute: '',
};

export const DAY = 24 * 3_600_000;

export function testHierarchy(now = new Date()): Promise<Hierarchy> {
  return createHierarchy({ name: 'Machi JPKI (test)', now: new Date(now.getTime() - 30 * DAY) });
}

/** A key pair and a certificate of `kind` for it, valid from `notBefore` to `notAfter`. */
export async function issueTestCertificate(
  hierarchy: Hierarchy,
  kind: CertificateKind,
  validity: { notBefore?: Date; notAfter?: Date } = {},
  ca = hierarchy.ca[kind],
) {
  const keys = await generateRsaKeyPair(false);
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    name: 'CN=card',
    keys,
    signingAlgorithm: RSA_SHA256,
  });
  const certificate = await issueCertificate(ca, {
    kind,
    request: new Uint8Array(request.rawData),
    notBefore: validity.notBefore ?? new Date(Date.now() - DAY),
    notAfter: validity.notAfter ?? new Date(Date.now() + 365 * DAY),
    ...(kind === 'signing' ? { basicFour: testBasicFour } : {}),
    locations: testLocations,
  });
  return { keys, certificate };
}
