import { MachiError } from '../../../core/index.ts';
import { fetchOcspStatus, type OcspResult } from '../ocsp/index.ts';
import type { CertificateStatus } from '../ocsp/status.ts';
import type { CertificateKind } from '../pki/authority.ts';
import { x509 } from '../pki/crypto.ts';
import { decodeCrl } from '../pki/encoding.ts';
import type { VerifiedCertificate } from './verify-certificate.ts';

/** Answers (good or revoked) are reused this long: a revocation reaches sign-in within it. */
export const STATUS_CACHE_MS = 30_000;
/**
 * A certificate still in use after a share of its answer's life is asked about again in the
 * background, while the answer in hand serves: a card used every few seconds then never waits
 * for the responder, and no answer served is older than STATUS_CACHE_MS all the same. The
 * share is drawn for each answer between these two: answers fetched together (a zone's first
 * minute, a burst of filings) would otherwise all be asked again in the same moment, every
 * time: 200 at once, ~3.5 ms each, made a p99 spike every 20 s at 500 filings/s.
 */
const REFRESH_FROM = 1 / 2;
const REFRESH_TO = 5 / 6;
const CRL_SKEW_MS = 5 * 60_000;

export interface RevocationOptions {
  /** Asks an OCSP responder; default: HTTP POST to `url`. Replace to reach an in-process responder. */
  readonly ocsp?: (
    url: string,
    certificate: x509.X509Certificate,
    issuer: x509.X509Certificate,
    now: Date,
  ) => Promise<OcspResult>;
  /** Fetches a CRL's DER; default: HTTP GET. */
  readonly fetchCrl?: (url: string) => Promise<Uint8Array>;
  /** Overrides of the locations the certificates name (e.g. a responder reached on an internal address). */
  readonly ocspUrl?: string;
  readonly crlUrl?: (kind: CertificateKind) => string;
  readonly cacheMs?: number;
}

export type CheckedStatus = Exclude<CertificateStatus, { status: 'unknown' }> & {
  readonly source: 'ocsp' | 'crl';
};

export interface RevocationChecker {
  /** Good or revoked, from OCSP or else the CRL; `certificate-status-unknown` when neither can say. */
  status(certificate: VerifiedCertificate, now: Date): Promise<CheckedStatus>;
  /** Throws `certificate-revoked` unless the certificate was good at `at` (now, or a signing time). */
  requireGood(certificate: VerifiedCertificate, now: Date, at?: Date): Promise<CheckedStatus>;
}

/** GETs a CRL over HTTP (RFC 5280 §4.2.1.13 distribution point); bounded in time and size. */
export async function fetchCrlOverHttp(url: string): Promise<Uint8Array> {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
  const body = new Uint8Array(await response.arrayBuffer());
  if (body.length > 8 * 1024 * 1024) throw new Error('CRL too large');
  return body;
}

const unknown = (detail: string) => new MachiError('certificate-status-unknown', detail);

function locationOf<T>(
  certificate: x509.X509Certificate,
  read: (c: x509.X509Certificate) => T | undefined,
): T | undefined {
  try {
    return read(certificate);
  } catch {
    return undefined;
  }
}

// The cache key of a verified certificate, made once per object: verifyCertificate hands out
// one object per certificate, and building the key (hex of two serials) on every sign-in showed.
const keys = new WeakMap<VerifiedCertificate, string>();

function cacheKey(verified: VerifiedCertificate): string {
  let key = keys.get(verified);
  if (key === undefined) {
    key = `${verified.issuer.certificate.serialNumber}:${verified.serialNumber}`;
    keys.set(verified, key);
  }
  return key;
}

/**
 * Revocation checking that fails closed (RFC 6960 and RFC 5280 §6.3): OCSP first, with
 * answers cached briefly; if the responder cannot be asked or its answer cannot be
 * trusted, the issuing CA's CRL, verified and current; if neither, no answer at all —
 * never "good". An OCSP "unknown" (the responder does not know the serial) is final:
 * falling back to a CRL would turn "never issued" into "not revoked".
 */
export function createRevocationChecker(options: RevocationOptions = {}): RevocationChecker {
  const cacheMs = options.cacheMs ?? STATUS_CACHE_MS;
  const answers = new Map<string, { status: CheckedStatus; until: number; refreshAt: number }>();
  /** Questions on their way, by certificate: callers who come meanwhile wait for the same answer. */
  const asking = new Map<string, Promise<CheckedStatus>>();
  const crls = new Map<string, { crl: x509.X509Crl; until: number }>();
  const askOcsp =
    options.ocsp ?? ((url, certificate, issuer, now) => fetchOcspStatus(url, certificate, issuer, { now }));

  /** 'unknown' when the responder answered that it does not know the serial. */
  async function fromOcsp(verified: VerifiedCertificate, now: Date): Promise<CheckedStatus | 'unknown'> {
    const url =
      options.ocspUrl ??
      locationOf(
        verified.certificate,
        (c) => c.getExtension(x509.AuthorityInfoAccessExtension)?.ocsp[0]?.value,
      );
    if (!url) throw unknown('The certificate names no OCSP responder.');
    const result = await askOcsp(url, verified.certificate, verified.issuer.certificate, now);
    if (result.status.status === 'unknown') return 'unknown';
    return { ...result.status, source: 'ocsp' };
  }

  async function currentCrl(verified: VerifiedCertificate, now: Date): Promise<x509.X509Crl> {
    const url =
      options.crlUrl?.(verified.kind) ??
      locationOf(verified.certificate, (c) => {
        const point = c.getExtension(x509.CRLDistributionPointsExtension)?.distributionPoints[0];
        return point?.distributionPoint?.fullName?.[0]?.uniformResourceIdentifier;
      });
    if (!url) throw unknown('The certificate names no CRL.');
    const cached = crls.get(url);
    if (cached && cached.until > now.getTime()) return cached.crl;
    let crl: x509.X509Crl;
    try {
      crl = decodeCrl(await (options.fetchCrl ?? fetchCrlOverHttp)(url));
    } catch {
      throw unknown('The CRL cannot be fetched or read.');
    }
    const issuer = verified.issuer.certificate;
    if (crl.issuer !== issuer.subject || !(await crl.verify({ publicKey: issuer.publicKey }))) {
      throw unknown('The CRL is not signed by the certificate’s issuer.');
    }
    if (
      crl.thisUpdate.getTime() > now.getTime() + CRL_SKEW_MS ||
      !crl.nextUpdate ||
      crl.nextUpdate.getTime() < now.getTime()
    ) {
      throw unknown('The CRL is not current.');
    }
    crls.set(url, { crl, until: Math.min(now.getTime() + cacheMs, crl.nextUpdate.getTime()) });
    return crl;
  }

  async function fromCrl(verified: VerifiedCertificate, now: Date): Promise<CheckedStatus> {
    const crl = await currentCrl(verified, now);
    const entry = crl.entries.find((item) => item.serialNumber.toLowerCase() === verified.serialNumber);
    if (!entry) return { status: 'good', source: 'crl' };
    const reasonNames: Record<number, string> = x509.X509CrlReason as unknown as Record<number, string>;
    const reason = (entry.reason === undefined ? 'unspecified' : reasonNames[entry.reason]) ?? 'unspecified';
    return { status: 'revoked', revokedAt: entry.revocationDate, reason: reason as never, source: 'crl' };
  }

  async function ask(key: string, verified: VerifiedCertificate, now: Date): Promise<CheckedStatus> {
    let checked: CheckedStatus | 'unknown';
    try {
      checked = await fromOcsp(verified, now);
    } catch {
      checked = await fromCrl(verified, now);
    }
    if (checked === 'unknown') throw unknown('The OCSP responder does not know this certificate.');
    if (answers.size > 50_000) answers.clear();
    const at = now.getTime();
    const refreshAfter = REFRESH_FROM + Math.random() * (REFRESH_TO - REFRESH_FROM);
    answers.set(key, { status: checked, until: at + cacheMs, refreshAt: at + cacheMs * refreshAfter });
    return checked;
  }

  function askOnce(key: string, verified: VerifiedCertificate, now: Date): Promise<CheckedStatus> {
    let pending = asking.get(key);
    if (!pending) {
      pending = ask(key, verified, now).finally(() => asking.delete(key));
      asking.set(key, pending);
    }
    return pending;
  }

  async function status(verified: VerifiedCertificate, now: Date): Promise<CheckedStatus> {
    const key = cacheKey(verified);
    const cached = answers.get(key);
    const at = now.getTime();
    if (!cached || cached.until <= at) return askOnce(key, verified, now);
    // A failed refresh changes nothing: the answer in hand runs out as it would have.
    if (at >= cached.refreshAt) askOnce(key, verified, now).catch(() => {});
    return cached.status;
  }

  return {
    status,
    async requireGood(verified, now, at = now) {
      const checked = await status(verified, now);
      if (checked.status === 'revoked' && checked.revokedAt.getTime() <= at.getTime()) {
        throw new MachiError('certificate-revoked', 'The certificate has been revoked.', {
          revokedAt: checked.revokedAt.toISOString(),
        });
      }
      return checked;
    },
  };
}
