import { id_pkix_ocsp_nonce } from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Extension } from '@peculiar/asn1-x509';
import { MachiError } from '../../../core/index.ts';

/**
 * RFC 8954 capped a nonce at 32 octets; RFC 9654, which obsoletes it, allows up to 128.
 * We read up to 128 so that newer clients are answered, and write at most 32 so that
 * responders still on RFC 8954 accept ours.
 */
export const NONCE_MAX_READ = 128;
export const NONCE_MAX_WRITE = 32;

/**
 * id-pkix-ocsp-nonce: extnValue holds the DER of `Nonce ::= OCTET STRING` (RFC 9654 §2.1).
 * `max` is NONCE_MAX_WRITE for a nonce of ours, NONCE_MAX_READ for one a responder echoes.
 */
export function nonceExtension(nonce: Uint8Array, max = NONCE_MAX_WRITE): Extension {
  if (nonce.length < 1 || nonce.length > max) {
    throw new MachiError('validation-failed', `An OCSP nonce must be 1 to ${max} bytes.`);
  }
  const inner = AsnConvert.serialize(new OctetString(new Uint8Array(nonce)));
  return new Extension({ extnID: id_pkix_ocsp_nonce, critical: false, extnValue: new OctetString(inner) });
}

/** The nonce in a list of extensions, if any; a nonce that is not a 1–128 byte OCTET STRING is malformed. */
export function readNonce(extensions: readonly Extension[] | undefined): Uint8Array | undefined {
  const extension = extensions?.find((entry) => entry.extnID === id_pkix_ocsp_nonce);
  if (!extension) return undefined;
  let nonce: Uint8Array;
  try {
    nonce = new Uint8Array(AsnConvert.parse(extension.extnValue.buffer, OctetString).buffer);
  } catch {
    // Clients before RFC 8954 put the bare bytes in extnValue; we do not guess which they meant.
    throw new MachiError('encoding-invalid', 'The OCSP nonce is not an OCTET STRING (RFC 9654 §2.1).');
  }
  if (nonce.length < 1 || nonce.length > NONCE_MAX_READ) {
    throw new MachiError('encoding-invalid', `The OCSP nonce must be 1 to ${NONCE_MAX_READ} bytes.`);
  }
  return nonce;
}
