import type { Authority } from './authority.ts';
import { RSA_SHA256, x509 } from './crypto.ts';

/** RFC 5280 §5.3.1 reasonCode; the ones a card's life produces. */
export type RevocationReason =
  | 'unspecified'
  | 'keyCompromise'
  | 'affiliationChanged'
  | 'superseded'
  | 'cessationOfOperation';

export interface RevokedEntry {
  /** Hex serial. */
  readonly serialNumber: string;
  readonly revokedAt: Date;
  readonly reason: RevocationReason;
}

export interface CrlOptions {
  readonly thisUpdate: Date;
  /** When relying parties must fetch a newer CRL; verifiers refuse a CRL past it. */
  readonly nextUpdate: Date;
  /** Monotonic CRL number (RFC 5280 §5.2.3). */
  readonly crlNumber: number;
}

const CRL_NUMBER_OID = '2.5.29.20';

function crlNumberExtension(value: number): x509.Extension {
  // INTEGER, minimal two's complement big-endian.
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  return new x509.Extension(CRL_NUMBER_OID, false, new Uint8Array([0x02, bytes.length, ...bytes]));
}

/** A full CRL of one issuing CA (RFC 5280 §5), signed with its key. */
export async function createCrl(
  ca: Authority,
  revoked: readonly RevokedEntry[],
  options: CrlOptions,
): Promise<x509.X509Crl> {
  return x509.X509CrlGenerator.create({
    issuer: ca.certificate.subject,
    thisUpdate: options.thisUpdate,
    nextUpdate: options.nextUpdate,
    signingAlgorithm: RSA_SHA256,
    signingKey: ca.privateKey,
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(ca.certificate),
      crlNumberExtension(options.crlNumber),
    ],
    entries: revoked.map((entry) => ({
      serialNumber: entry.serialNumber,
      revocationDate: entry.revokedAt,
      reason: x509.X509CrlReason[entry.reason],
    })),
  });
}
