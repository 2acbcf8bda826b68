import { ContentInfo, SignedData, SignerIdentifier, type SignerInfo, SigningTime } from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, SubjectKeyIdentifier } from '@peculiar/asn1-x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { RSA_SHA256, subtle, x509 } from '../pki/crypto.ts';
import { toPem } from '../pki/encoding.ts';
import { issueCertificate } from '../pki/issue-certificate.ts';
import { issueTestCertificate, testBasicFour, testHierarchy, testLocations } from '../test-support.ts';
import { childrenOf, encodingOf, readElement } from './der.ts';
import { type DocumentSigner, signDetached, verifyDetached } from './index.ts';
import { cmsOids } from './signed-attributes.ts';

const document = new TextEncoder().encode('転入届\n氏名: 山田 太郎\n');
const signingTime = new Date('2026-04-01T09:00:00Z');

let hierarchy: Awaited<ReturnType<typeof testHierarchy>>;
let card: Awaited<ReturnType<typeof issueTestCertificate>>;
let signer: DocumentSigner;
let signature: Uint8Array;

function signerFor(keys: CryptoKeyPair, certificate: x509.X509Certificate): DocumentSigner {
  return {
    certificate,
    sign: async (data) =>
      new Uint8Array(await subtle.sign(RSA_SHA256, keys.privateKey, new Uint8Array(data))),
  };
}

/** Parses, lets `change` edit the SignedData, and encodes again, as an attacker would. */
function rewrite(der: Uint8Array, change: (signedData: SignedData) => void): Uint8Array {
  const info = AsnConvert.parse(der, ContentInfo);
  const signedData = AsnConvert.parse(info.content, SignedData);
  change(signedData);
  info.content = AsnConvert.serialize(signedData);
  return new Uint8Array(AsnConvert.serialize(info));
}

function signerInfoOf(der: Uint8Array): SignerInfo {
  const info = AsnConvert.parse(der, ContentInfo);
  const first = AsnConvert.parse(info.content, SignedData).signerInfos[0];
  if (!first) throw new Error('no signer');
  return first;
}

/** Puts `certificate` in place of the signer's, and points the SignerInfo at it. */
function swapCertificate(der: Uint8Array, certificate: x509.X509Certificate): Uint8Array {
  const replacement = AsnConvert.parse(certificate.rawData, Certificate);
  return rewrite(der, (signedData) => {
    const original = Buffer.from(card.certificate.rawData);
    for (const choice of signedData.certificates ?? []) {
      if (choice.certificate && original.equals(Buffer.from(AsnConvert.serialize(choice.certificate)))) {
        choice.certificate = replacement;
      }
    }
    const sid = signedData.signerInfos[0]?.sid.issuerAndSerialNumber;
    if (sid) sid.serialNumber = replacement.tbsCertificate.serialNumber;
  });
}

function replaceBytes(der: Uint8Array, from: Uint8Array, to: Uint8Array): Uint8Array {
  const at = Buffer.from(der).indexOf(from);
  if (at < 0 || from.length !== to.length) throw new Error('bytes not found');
  const copy = new Uint8Array(der);
  copy.set(to, at);
  return copy;
}

beforeAll(async () => {
  hierarchy = await testHierarchy();
  card = await issueTestCertificate(hierarchy, 'signing');
  signer = signerFor(card.keys, card.certificate);
  signature = await signDetached(document, signer, {
    signingTime,
    chain: [hierarchy.ca.signing.certificate],
  });
});

describe('signDetached', () => {
  it('writes a detached SignedData v1 with the four signed attributes', () => {
    const info = AsnConvert.parse(signature, ContentInfo);
    expect(info.contentType).toBe(cmsOids.signedData);
    const signedData = AsnConvert.parse(info.content, SignedData);
    expect(signedData.version).toBe(1);
    expect(signedData.encapContentInfo).toMatchObject({ eContentType: cmsOids.data, eContent: undefined });
    expect(signedData.digestAlgorithms.map((one) => one.algorithm)).toEqual([cmsOids.sha256]);
    expect(signedData.certificates).toHaveLength(2);
    const signerInfo = signerInfoOf(signature);
    expect(signerInfo.signatureAlgorithm.algorithm).toBe(cmsOids.sha256WithRSAEncryption);
    expect(signerInfo.signedAttrs?.map((one) => one.attrType).sort()).toEqual(
      [cmsOids.contentType, cmsOids.messageDigest, cmsOids.signingTime, '1.2.840.113549.1.9.16.2.47'].sort(),
    );
  });

  it('writes signingTime as UTCTime through 2049 and GeneralizedTime from 2050 (RFC 5652 §11.3)', async () => {
    const timeOf = (der: Uint8Array) => {
      const value = signerInfoOf(der).signedAttrs?.find((one) => one.attrType === cmsOids.signingTime);
      return AsnConvert.parse(value?.attrValues[0] ?? new ArrayBuffer(0), SigningTime);
    };
    expect(timeOf(signature).utcTime).toEqual(signingTime);
    const later = new Date('2050-01-01T00:00:00Z');
    const signed2050 = await signDetached(document, signer, { signingTime: later });
    expect(timeOf(signed2050)).toMatchObject({ utcTime: undefined, generalTime: later });
    expect((await verifyDetached(signed2050, document)).signingTime).toEqual(later);
  });
});

describe('verifyDetached', () => {
  it('verifies its own signature, from DER, PEM and base64', async () => {
    for (const input of [signature, toPem(signature, 'CMS'), Buffer.from(signature).toString('base64')]) {
      const result = await verifyDetached(input, document);
      expect(result.documentIntact).toBe(true);
      expect(result.signingTime).toEqual(signingTime);
      expect(Buffer.from(result.signer.rawData).equals(Buffer.from(card.certificate.rawData))).toBe(true);
    }
  });

  it('reports an altered document without throwing', async () => {
    const altered = new TextEncoder().encode('転入届\n氏名: 山田 次郎\n');
    expect((await verifyDetached(signature, altered)).documentIntact).toBe(false);
    expect((await verifyDetached(signature, new Uint8Array())).documentIntact).toBe(false);
  });

  it('refuses a signature with one byte flipped', async () => {
    const value = new Uint8Array(signerInfoOf(signature).signature.buffer);
    const flipped = new Uint8Array(value);
    flipped[100] = (flipped[100] ?? 0) ^ 0x01;
    const tampered = replaceBytes(signature, value, flipped);
    await expect(verifyDetached(tampered, document)).rejects.toMatchObject({ code: 'signature-invalid' });
  });

  it('refuses a tampered signed attribute (signingTime)', async () => {
    const text = (s: string) => new TextEncoder().encode(s);
    const tampered = replaceBytes(signature, text('260401090000Z'), text('260331090000Z'));
    await expect(verifyDetached(tampered, document)).rejects.toMatchObject({ code: 'signature-invalid' });
  });

  it('refuses another signing certificate from the same CA put in place of the signer', async () => {
    const other = await issueTestCertificate(hierarchy, 'signing');
    await expect(
      verifyDetached(swapCertificate(signature, other.certificate), document),
    ).rejects.toMatchObject({
      code: 'signature-invalid',
      message: 'The signature does not verify.',
    });
  });

  it('refuses a certificate re-issued for the same key (caught by signingCertificateV2)', async () => {
    const request = await x509.Pkcs10CertificateRequestGenerator.create({
      name: 'CN=card',
      keys: card.keys,
      signingAlgorithm: RSA_SHA256,
    });
    const reissued = await issueCertificate(hierarchy.ca.signing, {
      kind: 'signing',
      request: new Uint8Array(request.rawData),
      notBefore: card.certificate.notBefore,
      notAfter: card.certificate.notAfter,
      basicFour: { ...testBasicFour, address: '大阪府大阪市北区中之島一丁目3番20号' },
      locations: testLocations,
    });
    await expect(verifyDetached(swapCertificate(signature, reissued), document)).rejects.toMatchObject({
      code: 'signature-invalid',
      message: expect.stringContaining('RFC 5035'),
    });
  });

  it("refuses a signature whose signer's certificate is missing", async () => {
    const stripped = rewrite(signature, (signedData) => {
      signedData.certificates = undefined;
    });
    await expect(verifyDetached(stripped, document)).rejects.toMatchObject({ code: 'signature-invalid' });
  });

  it('refuses more than one signer', async () => {
    const twice = rewrite(signature, (signedData) => {
      const first = signedData.signerInfos[0];
      if (first) signedData.signerInfos.push(first);
    });
    await expect(verifyDetached(twice, document)).rejects.toMatchObject({ code: 'encoding-invalid' });
  });

  it('verifies signed attributes sent out of DER order, as OpenSSL does (their sorted encoding was signed)', async () => {
    const attrs = signerInfoOf(signature).signedAttrs ?? [];
    const sortedDer = Buffer.concat(attrs.map((one) => Buffer.from(AsnConvert.serialize(one))));
    const reversedDer = Buffer.concat(
      attrs.toReversed().map((one) => Buffer.from(AsnConvert.serialize(one))),
    );
    const shuffled = replaceBytes(signature, sortedDer, reversedDer);
    const result = await verifyDetached(shuffled, document);
    expect(result).toMatchObject({ documentIntact: true, signingTime });
  });

  it('reads a BER encoding with indefinite lengths around the SignedData', async () => {
    const outer = readElement(signature, 0);
    const [contentType, content] = childrenOf(outer);
    const [signedData] = childrenOf(content!);
    const indefinite = (tag: number, ...parts: Uint8Array[]) =>
      Buffer.concat([Buffer.from([tag, 0x80]), ...parts, Buffer.from([0, 0])]);
    const ber = indefinite(0x30, encodingOf(contentType!), indefinite(0xa0, encodingOf(signedData!)));
    expect((await verifyDetached(new Uint8Array(ber), document)).documentIntact).toBe(true);
  });

  it('finds a signer named by subjectKeyIdentifier (RFC 5652 §5.3)', async () => {
    const extension = card.certificate.getExtension(x509.SubjectKeyIdentifierExtension);
    expect(extension).toBeTruthy();
    const byKeyId = rewrite(signature, (signedData) => {
      const info = signedData.signerInfos[0];
      if (!info) return;
      info.version = 3;
      info.sid = new SignerIdentifier({
        subjectKeyIdentifier: new SubjectKeyIdentifier(Buffer.from(extension?.keyId ?? '', 'hex')),
      });
    });
    expect((await verifyDetached(byKeyId, document)).documentIntact).toBe(true);
    const wrongKeyId = rewrite(signature, (signedData) => {
      const info = signedData.signerInfos[0];
      if (info)
        info.sid = new SignerIdentifier({
          subjectKeyIdentifier: new SubjectKeyIdentifier(new Uint8Array(20)),
        });
    });
    await expect(verifyDetached(wrongKeyId, document)).rejects.toMatchObject({
      code: 'signature-invalid',
      message: "The signer's certificate is not in the signature.",
    });
  });

  it.each([
    ['garbage base64', () => 'this is not base64!'],
    ['random bytes', () => Buffer.from('cafebabe00112233', 'hex').toString('base64')],
    ['truncated DER', () => signature.subarray(0, signature.length - 20)],
    ['trailing bytes', () => Buffer.concat([signature, Buffer.from([0, 0])])],
    ['a certificate as PEM', () => card.certificate.toString('pem')],
    ['a certificate as CMS PEM', () => toPem(card.certificate.rawData, 'CMS')],
  ])('refuses %s as encoding-invalid', async (_, input) => {
    await expect(verifyDetached(input(), document)).rejects.toMatchObject({ code: 'encoding-invalid' });
  });

  it('refuses a signer identifier that does not parse as encoding-invalid, not a crash', async () => {
    const outer = readElement(signature, 0);
    const [, content] = childrenOf(outer);
    const [signedData] = childrenOf(content!);
    const signerInfos = childrenOf(signedData!).at(-1)!;
    const [signerInfo] = childrenOf(signerInfos);
    const [, sid] = childrenOf(signerInfo!);
    const broken = new Uint8Array(signature);
    broken[sid!.contentStart] = 0x1f; // the issuer's tag made a high tag number
    await expect(verifyDetached(broken, document)).rejects.toMatchObject({ code: 'encoding-invalid' });
  });

  it('says which PEM it expected when given a certificate', async () => {
    await expect(verifyDetached(card.certificate.toString('pem'), document)).rejects.toMatchObject({
      code: 'encoding-invalid',
      message: expect.stringContaining('BEGIN CMS'),
    });
  });
});
