// The resident's side of `npm run bench submit`: the document a filing signs (as the portal
// builds it) and the card's CMS signature over it. Signing is the browser's and the card's
// work, not the server's, but the load generator shares the server's two cores, so it signs
// cheaply: `signDetached` itself makes one signature per resident, and every later one is
// that signature with the parts that change put in place — the messageDigest and
// signingTime attributes (fixed lengths, so the DER layout and the SET OF order stay the
// same) and the RSA signature over the new attributes (256 bytes for RSA-2048). The first
// signature of each signer is checked with `verifyDetached` before it is used.
import { createHash, createPrivateKey, type KeyObject, sign as rsaSign } from 'node:crypto';
import { SigningTime } from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import { signDetached, verifyDetached, x509 } from '../../src/modules/jpki/index.ts';

export interface FilingContent {
  readonly procedureId: string;
  readonly municipalityCode: string;
  readonly data: Record<string, unknown>;
  readonly attachments: readonly { id: string; uploadId: string; sha256: string }[];
  /** The resident's clock when filing: part of what is signed, so two filings always differ. */
  readonly filedAt: Date;
}

/** The exact bytes a resident signs and files (UTF-8 JSON, as the portal makes them). */
export function filingDocument(content: FilingContent): Uint8Array {
  return Buffer.from(
    JSON.stringify({
      procedureId: content.procedureId,
      municipalityCode: content.municipalityCode,
      data: content.data,
      attachments: content.attachments,
      filedAt: content.filedAt.toISOString(),
    }),
    'utf8',
  );
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest();
const signingTimeDer = (at: Date) => new Uint8Array(AsnConvert.serialize(new SigningTime(at)));

function offsetOf(haystack: Uint8Array, needle: Uint8Array, what: string): number {
  const at = Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle);
  if (at < 0) throw new Error(`submit bench signer: ${what} not found in the template`);
  return at;
}

export interface CardSigner {
  /** A CMS detached signature over `document`, as `signDetached` makes it, at `signedAt`. */
  sign(document: Uint8Array, signedAt: Date): Buffer;
}

/** A signer for one card: its signing certificate (DER) and private key (PKCS#8 DER). */
export async function cardSigner(certificateDer: Uint8Array, pkcs8: Uint8Array): Promise<CardSigner> {
  const key: KeyObject = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  const certificate = new x509.X509Certificate(Uint8Array.from(certificateDer));
  const probe = filingDocument({
    procedureId: 'probe',
    municipalityCode: '000000',
    data: {},
    attachments: [],
    filedAt: new Date(),
  });
  const probeTime = new Date();
  let attributes = new Uint8Array();
  let probeSignature = new Uint8Array();
  const template = await signDetached(
    probe,
    {
      certificate,
      sign: async (data) => {
        attributes = Uint8Array.from(data);
        probeSignature = new Uint8Array(rsaSign('sha256', data, key));
        return probeSignature;
      },
    },
    { signingTime: probeTime },
  );
  // The attributes sit in the SignerInfo as [0] IMPLICIT: same length and content, other tag.
  const attributesAt = offsetOf(template, attributes.subarray(1), 'signed attributes');
  const digestAt = offsetOf(attributes, sha256(probe), 'messageDigest');
  const probeTimeDer = signingTimeDer(probeTime);
  const timeAt = offsetOf(attributes, probeTimeDer, 'signingTime');
  const signatureAt = offsetOf(template, probeSignature, 'signature');
  const signer: CardSigner = {
    sign(document, signedAt) {
      const signed = Buffer.from(attributes);
      signed.set(sha256(document), digestAt);
      const time = signingTimeDer(signedAt);
      if (time.length !== probeTimeDer.length)
        throw new Error('submit bench signer: signingTime changed length');
      signed.set(time, timeAt);
      const signature = rsaSign('sha256', signed, key);
      const out = Buffer.from(template);
      out.set(signed.subarray(1), attributesAt);
      out.set(signature, signatureAt);
      return out;
    },
  };
  // The shortcut must make what signDetached makes: checked once, as the server will check each.
  const document = filingDocument({
    procedureId: 'check',
    municipalityCode: '000000',
    data: { n: 1 },
    attachments: [],
    filedAt: new Date(),
  });
  const checked = await verifyDetached(signer.sign(document, new Date()), document);
  if (!checked.documentIntact) throw new Error('submit bench signer: the signature does not verify');
  return signer;
}
