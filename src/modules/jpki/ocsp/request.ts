import { type CertID, OCSPRequest, Request, TBSRequest } from '@peculiar/asn1-ocsp';
import { AsnConvert } from '@peculiar/asn1-schema';
import { MachiError } from '../../../core/index.ts';
import type { x509 } from '../pki/crypto.ts';
import { type CertIdKey, certIdFor, keyOf } from './cert-id.ts';
import { parseExactly } from './der.ts';
import { nonceExtension, readNonce } from './nonce.ts';

/** At most this many CertIDs per request: each costs a lookup and a line in a signed answer. */
export const MAX_CERTIFICATES_PER_REQUEST = 10;
/** A request with 10 CertIDs is about 1 KiB; a signed one with its certificates a few KiB more. */
export const MAX_REQUEST_BYTES = 16 * 1024;

export interface OcspRequestOptions {
  /** id-pkix-ocsp-nonce (RFC 9654): binds the answer to this request, against replay. */
  readonly nonce?: Uint8Array;
}

/**
 * An unsigned OCSPRequest (RFC 6960 §4.1.1) for one certificate. The CertID uses SHA-256
 * (RFC 6960 §4.3 lets clients choose; a responder that only knows SHA-1 will say unknown).
 */
export function createOcspRequest(
  certificate: x509.X509Certificate,
  issuer: x509.X509Certificate,
  options: OcspRequestOptions = {},
): Uint8Array<ArrayBuffer> {
  const tbsRequest = new TBSRequest({
    requestList: [new Request({ reqCert: certIdFor(certificate, issuer) })],
  });
  if (options.nonce) tbsRequest.requestExtensions = [nonceExtension(options.nonce)];
  return new Uint8Array(AsnConvert.serialize(new OCSPRequest({ tbsRequest })));
}

/** A request as the responder needs it: each CertID both as plain values and as sent, to echo. */
export interface DecodedOcspRequest {
  readonly requests: ReadonlyArray<{ readonly key: CertIdKey; readonly certId: CertID }>;
  readonly nonce?: Uint8Array;
}

/**
 * Reads an OCSPRequest. Anything that is not one — bad DER, trailing bytes, no CertID, a
 * hash algorithm we do not know — is `encoding-invalid`; too many CertIDs is
 * `validation-failed`. A request signature (optionalSignature, §4.1.2) is not required
 * by us and is ignored, as RFC 6960 §4.1.2 allows.
 */
export function decodeOcspRequest(der: Uint8Array): DecodedOcspRequest {
  if (der.length > MAX_REQUEST_BYTES) {
    throw new MachiError('validation-failed', `An OCSP request may be at most ${MAX_REQUEST_BYTES} bytes.`);
  }
  let request: OCSPRequest;
  try {
    request = parseExactly(der, OCSPRequest);
  } catch {
    throw new MachiError('encoding-invalid', 'The OCSP request is not valid DER.');
  }
  const list = request.tbsRequest.requestList;
  if (list.length === 0) throw new MachiError('encoding-invalid', 'The OCSP request names no certificate.');
  if (list.length > MAX_CERTIFICATES_PER_REQUEST) {
    throw new MachiError(
      'validation-failed',
      `An OCSP request may name at most ${MAX_CERTIFICATES_PER_REQUEST} certificates; it names ${list.length}.`,
    );
  }
  const nonce = readNonce(request.tbsRequest.requestExtensions);
  const requests = list.map((entry) => ({ key: keyOf(entry.reqCert), certId: entry.reqCert }));
  return nonce ? { requests, nonce } : { requests };
}

export interface ParsedOcspRequest {
  readonly certIds: CertIdKey[];
  readonly nonce?: Uint8Array;
}

export function parseOcspRequest(der: Uint8Array): ParsedOcspRequest {
  const decoded = decodeOcspRequest(der);
  const certIds = decoded.requests.map((entry) => entry.key);
  return decoded.nonce ? { certIds, nonce: decoded.nonce } : { certIds };
}
