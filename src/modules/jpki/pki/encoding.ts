import { MachiError } from '../../../core/index.ts';
import { x509 } from './crypto.ts';

/** DER bytes in a buffer of their own (what WebCrypto and the ASN.1 parsers accept). */
export type Der = Uint8Array<ArrayBuffer>;

/**
 * DER bytes from DER, PEM or bare base64, with one clear error for anything else.
 * What comes over HTTP or from a file is untrusted: every decoder here turns a
 * parse failure into `encoding-invalid` (400), never an unhandled exception (500).
 */
export function derFrom(input: Uint8Array | string, what: string): Der {
  // A copy: the caller's bytes may be a view on a larger (or shared) buffer.
  if (typeof input !== 'string') return new Uint8Array(input);
  const text = input.trim();
  const body = text.startsWith('-----BEGIN')
    ? text.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '').replace(/\s+/g, '')
    : text.replace(/\s+/g, '');
  // base64 or base64url, with or without padding.
  if (body.length === 0 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(body)) {
    throw new MachiError('encoding-invalid', `The ${what} is not valid PEM or base64.`);
  }
  return new Uint8Array(Buffer.from(body.replaceAll('-', '+').replaceAll('_', '/'), 'base64'));
}

function parsed<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch {
    throw new MachiError('encoding-invalid', `The ${what} is not valid DER.`);
  }
}

export function decodeCertificate(input: Uint8Array | string): x509.X509Certificate {
  const der = derFrom(input, 'certificate');
  return parsed('certificate', () => new x509.X509Certificate(der));
}

export function decodeCertificateRequest(input: Uint8Array | string): x509.Pkcs10CertificateRequest {
  const der = derFrom(input, 'certificate request');
  return parsed('certificate request', () => new x509.Pkcs10CertificateRequest(der));
}

export function decodeCrl(input: Uint8Array | string): x509.X509Crl {
  const der = derFrom(input, 'CRL');
  return parsed('CRL', () => new x509.X509Crl(der));
}

export function toPem(der: ArrayBuffer | Uint8Array, label: string): string {
  const base64 = Buffer.from(der instanceof Uint8Array ? der : new Uint8Array(der)).toString('base64');
  return `-----BEGIN ${label}-----\n${base64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}
