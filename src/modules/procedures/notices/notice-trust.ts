import { X509Certificate as NativeCertificate } from 'node:crypto';
import { MachiError } from '../../../core/index.ts';
import { x509 } from '../../jpki/index.ts';

/** The roots a notice verifier accepts: normally one, several across a root rollover. */
export interface NoticeTrust {
  readonly roots: readonly {
    readonly certificate: x509.X509Certificate;
    readonly native: NativeCertificate;
  }[];
}

/**
 * Trust in these root certificates, each checked once here to be a self-signed CA, so that a
 * misconfigured trust directory fails when it is loaded, not when a resident checks a notice.
 */
export async function createNoticeTrust(roots: readonly x509.X509Certificate[]): Promise<NoticeTrust> {
  if (roots.length === 0)
    throw new MachiError('not-found', 'The notice trust store has no root certificate.');
  for (const root of roots) {
    const ca = root.getExtension(x509.BasicConstraintsExtension)?.ca === true;
    if (!ca || !(await root.verify({ signatureOnly: true }))) {
      throw new Error(`The notice root ${root.subject} is not a self-signed CA certificate.`);
    }
  }
  return {
    roots: roots.map((certificate) => ({
      certificate,
      native: new NativeCertificate(Buffer.from(certificate.rawData)),
    })),
  };
}
