import { webcrypto } from 'node:crypto';
import { BasicOCSPResponse, id_pkix_ocsp_basic, id_pkix_ocsp_nonce, OCSPResponse } from '@peculiar/asn1-ocsp';
import type { Extension } from '@peculiar/asn1-x509';
import { isMachiError } from '../../../core/index.ts';
import type { x509 } from '../pki/crypto.ts';
import { issuedBy, issuerParts, keyOf } from './cert-id.ts';
import { type ParsedExactly, parseExactly, parseTree } from './der.ts';
import { OCSP_REQUEST_CONTENT_TYPE, OCSP_RESPONSE_CONTENT_TYPE } from './http.ts';
import { NONCE_MAX_WRITE, readNonce } from './nonce.ts';
import { createOcspRequest } from './request.ts';
import { verifyResponder } from './signer.ts';
import { type CertificateStatus, fromCertStatus, ocspResponseStatus, statusUnknown } from './status.ts';

const DEFAULT_SKEW_MS = 5 * 60_000;
const DEFAULT_MAX_AGE_MS = 24 * 3_600_000;
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface OcspResponseCheck {
  readonly issuer: x509.X509Certificate;
  readonly certificate: x509.X509Certificate;
  /** The nonce we sent; the response must carry the same one (RFC 9654 §2.1). */
  readonly nonce?: Uint8Array;
  readonly now: Date;
  /** Tolerated clock difference with the responder, both ways; default 5 minutes. */
  readonly maxSkewMs?: number;
  /** Oldest thisUpdate accepted when a response gives no nextUpdate; default 24 hours. */
  readonly maxAgeMs?: number;
}

export interface OcspResult {
  readonly status: CertificateStatus;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly producedAt: Date;
}

const statusNames = Object.fromEntries(
  Object.entries(ocspResponseStatus).map(([name, code]) => [code, name]),
);

function refuseUnknownCritical(extensions: readonly Extension[] | undefined, where: string): void {
  // A critical extension we do not understand means we cannot know what the answer says.
  if (extensions?.some((entry) => entry.critical && entry.extnID !== id_pkix_ocsp_nonce)) {
    throw statusUnknown(`The OCSP response has a critical ${where} extension we do not understand.`);
  }
}

/**
 * Reads and verifies an OCSP response for one certificate (RFC 6960 §3.2), failing closed:
 * any doubt is `certificate-status-unknown`. A revoked answer is returned, not thrown,
 * so that the caller can say `certificate-revoked` with its time and reason.
 */
export async function parseOcspResponse(der: Uint8Array, check: OcspResponseCheck): Promise<OcspResult> {
  let response: OCSPResponse;
  let basicTree: ParsedExactly<BasicOCSPResponse>['tree'];
  let basic: BasicOCSPResponse;
  try {
    response = parseExactly(der, OCSPResponse);
  } catch {
    throw statusUnknown('The OCSP response is not valid DER.');
  }
  if (response.responseStatus !== ocspResponseStatus.successful) {
    const name = statusNames[response.responseStatus] ?? `status ${response.responseStatus}`;
    throw statusUnknown(`The OCSP responder did not answer (${name}).`);
  }
  if (response.responseBytes?.responseType !== id_pkix_ocsp_basic) {
    throw statusUnknown('The OCSP response is not a BasicOCSPResponse (RFC 6960 §4.2.1).');
  }
  try {
    // Read once: the signer check takes the certificates' bytes as sent from the same tree.
    ({ value: basic, tree: basicTree } = parseTree(
      new Uint8Array(response.responseBytes.response.buffer),
      BasicOCSPResponse,
    ));
  } catch {
    throw statusUnknown('The BasicOCSPResponse is not valid DER.');
  }
  verifyResponder(basicTree, basic, check.issuer, check.now);
  const data = basic.tbsResponseData;

  // RFC 6960 §3.2 (1): the answer must be about the certificate we asked about.
  const parts = issuerParts(check.issuer);
  const single = data.responses.find((entry) => {
    try {
      const key = keyOf(entry.certID);
      return key.serialNumber === check.certificate.serialNumber && issuedBy(key, parts);
    } catch {
      return false; // a CertID in a hash we do not know cannot be ours
    }
  });
  if (!single) throw statusUnknown('The OCSP response does not answer for this certificate.');
  refuseUnknownCritical(data.responseExtensions, 'response');
  refuseUnknownCritical(single.singleExtensions, 'single response');

  if (check.nonce) {
    let echoed: Uint8Array | undefined;
    try {
      echoed = readNonce(data.responseExtensions);
    } catch {
      echoed = undefined;
    }
    if (!echoed || !Buffer.from(echoed).equals(Buffer.from(check.nonce))) {
      throw statusUnknown('The OCSP response does not carry the nonce we sent; it may be a replay.');
    }
  }

  // RFC 6960 §3.2 (4)–(5), §4.2.2.1: not from the future, not past its nextUpdate.
  const now = check.now.getTime();
  const skew = check.maxSkewMs ?? DEFAULT_SKEW_MS;
  if (single.thisUpdate.getTime() > now + skew)
    throw statusUnknown('The OCSP response is dated in the future.');
  if (single.nextUpdate && single.nextUpdate.getTime() < now - skew) {
    throw statusUnknown('The OCSP response has expired (its nextUpdate has passed).');
  }
  if (!single.nextUpdate && single.thisUpdate.getTime() < now - (check.maxAgeMs ?? DEFAULT_MAX_AGE_MS)) {
    throw statusUnknown('The OCSP response is too old.');
  }
  return {
    status: fromCertStatus(single.certStatus),
    thisUpdate: single.thisUpdate,
    ...(single.nextUpdate ? { nextUpdate: single.nextUpdate } : {}),
    producedAt: data.producedAt,
  };
}

export interface FetchOcspOptions {
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  readonly now: Date;
  /** Send a fresh 32-byte nonce and require it back; default true. */
  readonly nonce?: boolean;
  readonly maxSkewMs?: number;
}

/**
 * Asks an OCSP responder over HTTP POST (RFC 6960 Appendix A.1) and verifies the answer.
 * Network failure, timeout, a non-200 answer or the wrong media type are all
 * `certificate-status-unknown`: no answer is never taken as "good".
 */
export async function fetchOcspStatus(
  url: string,
  certificate: x509.X509Certificate,
  issuer: x509.X509Certificate,
  options: FetchOcspOptions,
): Promise<OcspResult> {
  const nonce =
    options.nonce === false ? undefined : webcrypto.getRandomValues(new Uint8Array(NONCE_MAX_WRITE));
  const request = createOcspRequest(certificate, issuer, nonce ? { nonce } : {});
  let body: Uint8Array;
  try {
    const response = await (options.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': OCSP_REQUEST_CONTENT_TYPE, accept: OCSP_RESPONSE_CONTENT_TYPE },
      body: request,
      signal: AbortSignal.timeout(options.timeoutMs ?? 3000),
    });
    if (response.status !== 200) throw statusUnknown(`The OCSP responder answered HTTP ${response.status}.`);
    const type = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== OCSP_RESPONSE_CONTENT_TYPE) {
      throw statusUnknown(
        `The OCSP responder answered ${type ?? 'no content type'}, not ${OCSP_RESPONSE_CONTENT_TYPE}.`,
      );
    }
    body = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if (isMachiError(error)) throw error;
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    throw statusUnknown(
      timedOut ? 'The OCSP responder did not answer in time.' : 'The OCSP responder is unreachable.',
    );
  }
  if (body.length > MAX_RESPONSE_BYTES) throw statusUnknown('The OCSP response is too large.');
  return parseOcspResponse(body, {
    issuer,
    certificate,
    now: options.now,
    ...(nonce ? { nonce } : {}),
    ...(options.maxSkewMs === undefined ? {} : { maxSkewMs: options.maxSkewMs }),
  });
}
