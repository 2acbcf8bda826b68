import { createPublicKey, type KeyObject } from 'node:crypto';
import { MachiError } from '../../../core/index.ts';
import { x509 } from '../pki/crypto.ts';
import {
  childrenOf,
  contentsOf,
  type DerElement,
  derTags,
  encodingOf,
  expectTag,
  oidOf,
  readElement,
} from './der.ts';

/**
 * What a verifier needs of a certificate that came inside a signature: how a
 * SignerIdentifier can name it (issuer and serial, or key identifier; RFC 5652 §5.3) and
 * its public key. Read once per DER: a resident who files twice, or a clerk who opens a
 * case again, costs no second reading. The full parse (`certificate`) is made on first use.
 */
export interface SignerCertificate {
  readonly der: Uint8Array<ArrayBuffer>;
  /** The issuer Name, DER as encoded in the certificate. */
  readonly issuer: Uint8Array;
  /** The serial number INTEGER's contents. */
  readonly serial: Uint8Array;
  readonly subjectKeyIdentifier: Uint8Array | undefined;
  readonly publicKey: KeyObject;
  readonly certificate: x509.X509Certificate;
}

const SUBJECT_KEY_IDENTIFIER = '2.5.29.14';
const MAX_CACHED = 10_000;
const cache = new Map<string, SignerCertificate | Error>();

function subjectKeyIdentifierIn(extensions: DerElement | undefined): Uint8Array | undefined {
  if (!extensions) return undefined;
  const list = expectTag(childrenOf(extensions)[0], derTags.sequence, 'Extensions');
  for (const extension of childrenOf(list)) {
    const [id, ...rest] = childrenOf(extension);
    if (!id || oidOf(id) !== SUBJECT_KEY_IDENTIFIER) continue;
    const value = expectTag(rest.at(-1), derTags.octetString, 'extnValue');
    const keyId = readElement(value.bytes, value.contentStart, value.contentEnd);
    return contentsOf(expectTag(keyId, derTags.octetString, 'KeyIdentifier'));
  }
  return undefined;
}

function read(der: Uint8Array<ArrayBuffer>): SignerCertificate {
  const outer = readElement(der, 0);
  if (outer.end !== der.length) throw new Error('trailing bytes after the certificate');
  const [tbs] = childrenOf(expectTag(outer, derTags.sequence, 'Certificate'));
  const fields = childrenOf(expectTag(tbs, derTags.sequence, 'TBSCertificate'));
  // version is [0] EXPLICIT and may be absent (v1); the fields after it are fixed (RFC 5280 §4.1).
  const at = fields[0]?.tag === derTags.context0 ? 1 : 0;
  const serial = expectTag(fields[at], derTags.integer, 'serialNumber');
  const issuer = expectTag(fields[at + 2], derTags.sequence, 'issuer');
  const spki = expectTag(fields[at + 5], derTags.sequence, 'subjectPublicKeyInfo');
  const extensions = fields.slice(at + 6).find((field) => field.tag === 0xa3);
  let certificate: x509.X509Certificate | undefined;
  return {
    der,
    issuer: encodingOf(issuer),
    serial: contentsOf(serial),
    subjectKeyIdentifier: subjectKeyIdentifierIn(extensions),
    publicKey: createPublicKey({ key: Buffer.from(encodingOf(spki)), format: 'der', type: 'spki' }),
    get certificate() {
      try {
        certificate ??= new x509.X509Certificate(der);
      } catch {
        throw new MachiError('encoding-invalid', "The signer's certificate cannot be decoded.");
      }
      return certificate;
    },
  };
}

/** The certificate `der` read once; throws a plain Error (every time) when it does not read. */
export function signerCertificate(der: Uint8Array<ArrayBuffer>): SignerCertificate {
  const key = Buffer.from(der).toString('base64');
  let entry = cache.get(key);
  if (!entry) {
    try {
      entry = read(der);
    } catch (error) {
      entry = error instanceof Error ? error : new Error(String(error));
    }
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, entry);
  }
  if (entry instanceof Error) throw entry;
  return entry;
}
