import {
  BasicOCSPResponse,
  id_pkix_ocsp_basic,
  KeyHash,
  OCSPResponse,
  ResponderID,
  ResponseBytes,
  ResponseData,
  SingleResponse,
} from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate } from '@peculiar/asn1-x509';
import type { Authority } from '../pki/authority.ts';
import { subtle, type x509 } from '../pki/crypto.ts';
import { hash, issuedBy, issuerParts } from './cert-id.ts';
import { NONCE_MAX_READ, nonceExtension } from './nonce.ts';
import { decodeOcspRequest } from './request.ts';
import { type CertificateStatus, ocspResponseStatus, toCertStatus, wholeSeconds } from './status.ts';

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const DEFAULT_VALIDITY_MS = 5 * 60_000;

/** One CA this responder answers for, and who signs the answers: a delegated responder or the CA. */
export interface OcspIssuer {
  readonly ca: x509.X509Certificate;
  readonly responder: Authority;
}

export interface StatusQuery<I extends OcspIssuer> {
  readonly issuer: I;
  /** Position of `issuer` in the responder's `issuers`. */
  readonly index: number;
  /** As `x509.X509Certificate.serialNumber` writes it. */
  readonly serialNumber: string;
}

export interface OcspResponderOptions<I extends OcspIssuer> {
  readonly issuers: readonly I[];
  /** `unknown` for a serial the CA never issued (RFC 6960 §2.2); throwing answers internalError. */
  readonly lookup: (query: StatusQuery<I>) => Promise<CertificateStatus>;
  readonly now: () => Date;
  /** nextUpdate = thisUpdate + validityMs: how long clients and caches may rely on an answer. */
  readonly validityMs?: number;
  /** Told of a failed lookup, which the client only sees as internalError. */
  readonly onError?: (error: unknown) => void;
}

export interface OcspResponder {
  /** A DER OCSPResponse for a DER OCSPRequest; never throws for what the client sent. */
  respond(requestDer: Uint8Array): Promise<Uint8Array<ArrayBuffer>>;
}

/** An OCSPResponse with a status and no body, as RFC 6960 §4.2.1 has for every error. */
export function errorResponse(
  status: Exclude<keyof typeof ocspResponseStatus, 'successful'>,
): Uint8Array<ArrayBuffer> {
  return new Uint8Array(
    AsnConvert.serialize(new OCSPResponse({ responseStatus: ocspResponseStatus[status] })),
  );
}

function assertRsaSha256(key: CryptoKey): void {
  const algorithm = key.algorithm as RsaHashedKeyAlgorithm;
  if (algorithm.name !== 'RSASSA-PKCS1-v1_5' || algorithm.hash?.name !== 'SHA-256') {
    throw new Error('An OCSP responder key must be RSASSA-PKCS1-v1_5 with SHA-256.');
  }
}

/**
 * An OCSP responder (RFC 6960) for a fixed set of CAs. It answers only from `lookup`,
 * so a later HTTP route needs just the bytes: POST application/ocsp-request, or GET
 * with the request in the path (see `decodeGetPath`).
 */
export function createOcspResponder<I extends OcspIssuer>(options: OcspResponderOptions<I>): OcspResponder {
  const validityMs = options.validityMs ?? DEFAULT_VALIDITY_MS;
  const served = options.issuers.map((issuer) => {
    assertRsaSha256(issuer.responder.privateKey);
    const responderKey = issuerParts(issuer.responder.certificate).key;
    return {
      issuer,
      parts: issuerParts(issuer.ca),
      // RFC 6960 §4.2.1: byKey is the SHA-1 of the responder key's BIT STRING contents.
      responderId: new ResponderID({ byKey: new KeyHash(hash('SHA-1', responderKey)) }),
      certs: [AsnConvert.parse(issuer.responder.certificate.rawData, Certificate)],
    };
  });

  return {
    async respond(requestDer) {
      let request: ReturnType<typeof decodeOcspRequest>;
      try {
        request = decodeOcspRequest(requestDer);
      } catch {
        return errorResponse('malformedRequest');
      }
      // One signer per response, and a delegated responder speaks only for its own CA
      // (RFC 6960 §4.2.2.2), so we answer for the CA of the first CertID we serve and
      // leave out CertIDs of other CAs; a client asks those separately.
      const index = served.findIndex((entry) => request.requests.some((r) => issuedBy(r.key, entry.parts)));
      const entry = served[index];
      if (!entry) return errorResponse('unauthorized');
      const mine = request.requests.filter((r) => issuedBy(r.key, entry.parts));

      let statuses: CertificateStatus[];
      try {
        statuses = await Promise.all(
          mine.map((r) => options.lookup({ issuer: entry.issuer, index, serialNumber: r.key.serialNumber })),
        );
      } catch (error) {
        options.onError?.(error);
        return errorResponse('internalError');
      }

      const thisUpdate = wholeSeconds(options.now());
      const nextUpdate = new Date(thisUpdate.getTime() + validityMs);
      const tbs = new ResponseData({
        responderID: entry.responderId,
        producedAt: thisUpdate,
        responses: mine.map(
          (r, i) =>
            new SingleResponse({
              certID: r.certId,
              certStatus: toCertStatus(statuses[i]!),
              thisUpdate,
              nextUpdate,
            }),
        ),
        // RFC 9654 §2.1: the nonce comes back unchanged, in responseExtensions.
        ...(request.nonce ? { responseExtensions: [nonceExtension(request.nonce, NONCE_MAX_READ)] } : {}),
      });
      const tbsDer = AsnConvert.serialize(tbs);
      const signature = await subtle.sign('RSASSA-PKCS1-v1_5', entry.issuer.responder.privateKey, tbsDer);
      const basic = new BasicOCSPResponse({
        tbsResponseData: tbs,
        // RFC 4055 §5: sha256WithRSAEncryption has NULL parameters.
        signatureAlgorithm: new AlgorithmIdentifier({ algorithm: SHA256_WITH_RSA, parameters: null }),
        signature,
        // The delegated responder's certificate, so that clients can check it (RFC 6960 §4.2.2.2).
        certs: entry.certs,
      });
      const response = new OCSPResponse({
        responseStatus: ocspResponseStatus.successful,
        responseBytes: new ResponseBytes({
          responseType: id_pkix_ocsp_basic,
          response: new OctetString(AsnConvert.serialize(basic)),
        }),
      });
      return new Uint8Array(AsnConvert.serialize(response));
    },
  };
}
