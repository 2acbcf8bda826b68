import { X509Certificate as NativeCertificate } from 'node:crypto';
import { MachiError } from '../../../core/index.ts';
import { x509 } from '../../jpki/index.ts';
import type { NoticeTrust } from './notice-trust.ts';
import { readSignerMunicipality, type SignerMunicipality } from './signer-municipality.ts';

/** Extensions whose meaning this verifier knows; any other marked critical is refused (RFC 5280 §4.2). */
const KNOWN_CRITICAL = new Set(['2.5.29.15', '2.5.29.19', '2.5.29.37', '2.5.29.32', '2.5.29.17']);

/**
 * Checks that a notice's signer certificate is a municipality's 職責証明書-like certificate
 * from a trusted root, valid at `at`: issued and signed by a root of `trust` (the path is one
 * step: the root certifies signers directly), an end entity whose key may commit its holder
 * (nonRepudiation), both certificates within their validity, and a subject that names a
 * municipality. Revocation is not checked: this root publishes no CRL yet.
 */
export function verifyNoticeSigner(
  certificate: x509.X509Certificate,
  trust: NoticeTrust,
  at: Date,
): SignerMunicipality {
  const native = new NativeCertificate(Buffer.from(certificate.rawData));
  const root = trust.roots.find(
    (one) => native.checkIssued(one.native) && native.verify(one.native.publicKey),
  );
  if (!root) {
    throw new MachiError(
      'certificate-untrusted',
      "The notice was not signed with a municipality's certificate from a trusted root.",
    );
  }
  if (certificate.extensions.some((extension) => extension.critical && !KNOWN_CRITICAL.has(extension.type))) {
    throw new MachiError(
      'certificate-untrusted',
      "The signer's certificate has a critical extension Machi does not know.",
    );
  }
  const usages = certificate.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
  const municipality = readSignerMunicipality(certificate);
  if (
    certificate.getExtension(x509.BasicConstraintsExtension)?.ca ||
    (usages & x509.KeyUsageFlags.nonRepudiation) === 0 ||
    !municipality
  ) {
    throw new MachiError(
      'certificate-wrong-usage',
      "The signer's certificate is not a municipality's signing certificate.",
    );
  }
  const time = at.getTime();
  for (const one of [certificate, root.certificate]) {
    if (time < one.notBefore.getTime()) throw new MachiError('certificate-not-yet-valid');
    if (time > one.notAfter.getTime()) throw new MachiError('certificate-expired');
  }
  return municipality;
}
