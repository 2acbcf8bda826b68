import { webcrypto } from 'node:crypto';
import type { DocumentSigner, x509 } from '../../jpki/index.ts';
import { readSignerMunicipality, type SignerMunicipality } from './signer-municipality.ts';
import type { NoticeAuthority } from './signing-authority.ts';

/**
 * A municipality's notice-signing key behind the same interface a My Number card offers
 * (jpki's DocumentSigner), so that the one CMS implementation serves both. The key itself
 * is a non-extractable CryptoKey: nothing that holds a signer can read it out.
 */
export interface NoticeSigner extends DocumentSigner {
  readonly municipality: SignerMunicipality;
  /** Certificates above the signer's (the root), carried in the signature for path building. */
  readonly chain: readonly x509.X509Certificate[];
}

export function noticeSignerFrom(
  signer: NoticeAuthority,
  chain: readonly x509.X509Certificate[],
): NoticeSigner {
  const municipality = readSignerMunicipality(signer.certificate);
  if (!municipality) {
    throw new Error(`The certificate ${signer.certificate.subject} does not name a municipality.`);
  }
  return {
    certificate: signer.certificate,
    municipality,
    chain,
    // RSASSA-PKCS1-v1_5 with SHA-256, what jpki's CMS names in the SignerInfo.
    sign: async (data) =>
      new Uint8Array(
        await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', signer.privateKey, new Uint8Array(data)),
      ),
  };
}
