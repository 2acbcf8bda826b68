import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NoticeSigner } from './notice-signer.ts';
import { renderNoticePdf } from './render-notice.ts';
import { signNoticePdf } from './sign-notice-pdf.ts';
import { DAY, REJECTION_REASONS, sampleNotice, type TestIdentity, testIdentity } from './test-notices.ts';
import { pageTexts } from './test-pdf-text.ts';
import { verifyNoticePdf } from './verify-notice-pdf.ts';

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

let identity: TestIdentity;
let signer: NoticeSigner;
let signed: Uint8Array;
const signingTime = new Date(Date.now() - 60_000);

beforeAll(async () => {
  identity = await testIdentity();
  signer = await identity.signerFor('131016');
  const pdf = await renderNoticePdf(
    sampleNotice({ outcome: 'rejected', title: '児童手当 認定請求却下通知書', reasons: REJECTION_REASONS }),
  );
  signed = await signNoticePdf(pdf, signer, { signingTime });
});

/** Where the signature's hole is, from the ByteRange the file states. */
function byteRange(bytes: Uint8Array): [number, number, number, number] {
  const match = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(latin1(bytes));
  if (!match) throw new Error('no ByteRange');
  return match.slice(1, 5).map(Number) as [number, number, number, number];
}

/**
 * Appends a well-formed incremental update (ISO 32000-1 §7.5.6) that replaces the document
 * information dictionary: new object, xref section, trailer with /Prev — what an editor that
 * "keeps the signature" writes. Nothing before it changes.
 */
function appendIncrementalUpdate(bytes: Uint8Array): Uint8Array {
  const text = latin1(bytes);
  const previous = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
  const trailer = text.slice(text.lastIndexOf('trailer'));
  const size = Number(/\/Size (\d+)/.exec(trailer)?.[1]);
  const root = /\/Root (\d+ \d+ R)/.exec(trailer)?.[1];
  const object = `${size} 0 obj\n<< /Title (Altered after signing) >>\nendobj\n`;
  const objectOffset = bytes.length + 1;
  const xrefOffset = objectOffset + object.length;
  const update =
    `\n${object}xref\n${size} 1\n${String(objectOffset).padStart(10, '0')} 00000 n \n` +
    `trailer\n<< /Size ${size + 1} /Root ${root} /Info ${size} 0 R /Prev ${previous} >>\n` +
    `startxref\n${xrefOffset}\n%%EOF\n`;
  return new Uint8Array(Buffer.concat([bytes, Buffer.from(update, 'latin1')]));
}

describe('signNoticePdf and verifyNoticePdf', () => {
  it('signs so that the notice verifies, naming the municipality and the signing time', async () => {
    const verified = await verifyNoticePdf(signed, identity.trust);
    expect(verified).toMatchObject({
      municipalityCode: '131016',
      municipalityName: '千代田区',
      signerTitle: '千代田区長',
      certificateSerial: signer.certificate.serialNumber.toLowerCase(),
    });
    // CMS signingTime has whole seconds (UTCTime).
    expect(Math.abs(verified.signingTime.getTime() - signingTime.getTime())).toBeLessThan(1000);
  });

  it('covers the whole file but the hole, and stays a PDF that pdf-lib and pdf.js read', async () => {
    const [start, holeStart, holeEnd, tail] = byteRange(signed);
    expect(start).toBe(0);
    expect(holeEnd + tail).toBe(signed.length);
    expect(latin1(signed.subarray(holeStart, holeEnd))).toMatch(/^<[0-9A-F]+>$/);
    expect(latin1(signed)).toContain('/SubFilter /adbe.pkcs7.detached');

    const doc = await PDFDocument.load(signed);
    expect(doc.getTitle()).toBe('児童手当 認定請求却下通知書');
    const text = (await pageTexts(signed)).join('').replace(/\s+/g, '');
    expect(text).toContain('児童手当認定請求却下通知書');
    expect(text).toContain('山田太郎様');
    expect(text).toContain('R7-131016-000123');
    expect(signed.length).toBeLessThan(300 * 1024);
  });

  it('fails when any one byte of the signed range is flipped', async () => {
    const [, holeStart, holeEnd] = byteRange(signed);
    // Every region: header, page content, fonts, the signature dictionary and ByteRange, xref, trailer.
    const positions = new Set<number>([0, 5, holeStart - 1, holeEnd, signed.length - 1]);
    for (let i = 0; i < 250; i++) positions.add(Math.floor((i / 250) * signed.length));
    const rangeText = latin1(signed).indexOf('/ByteRange');
    for (let i = 0; i < 40; i++) positions.add(rangeText + i);
    for (const position of positions) {
      if (position >= holeStart && position < holeEnd) continue; // the hole itself: next test
      const tampered = new Uint8Array(signed);
      tampered[position] = (tampered[position] ?? 0) ^ 0x01;
      const error = await verifyNoticePdf(tampered, identity.trust).then(
        () => undefined,
        (caught: { code?: string }) => caught,
      );
      expect(error?.code, `byte ${position}`).toMatch(
        /^(document-altered|encoding-invalid|signature-invalid)$/,
      );
    }
  });

  it('fails when the signature value or its padding in the hole is changed', async () => {
    const [, holeStart, holeEnd] = byteRange(signed);
    // The CMS is DER, 0x30 0x82 and a two-byte length; its last 256 bytes are the RSA signature
    // (the SignerInfo comes last). Its certificate copies are not signed and not covered here:
    // the verifier judges the signer's by ESS signingCertificateV2 and the root by its own trust.
    const derLength = 4 + Number.parseInt(latin1(signed.subarray(holeStart + 5, holeStart + 9)), 16);
    const signatureValue = holeStart + 1 + 2 * (derLength - 100);
    for (const position of [
      holeStart + 1,
      holeStart + 3,
      signatureValue,
      holeStart + 1 + 2 * derLength,
      holeEnd - 2,
    ]) {
      const tampered = new Uint8Array(signed);
      // Another hex digit, so that the hole still looks like a hex string.
      tampered[position] = tampered[position] === 0x30 ? 0x31 : 0x30;
      await expect(verifyNoticePdf(tampered, identity.trust), `hole byte ${position}`).rejects.toHaveProperty(
        'code',
      );
    }
  });

  it('reports an incremental update appended after signing, which pdf-lib accepts as a PDF', async () => {
    const updated = appendIncrementalUpdate(signed);
    expect((await PDFDocument.load(updated, { updateMetadata: false })).getTitle()).toBe(
      'Altered after signing',
    );
    await expect(verifyNoticePdf(updated, identity.trust)).rejects.toMatchObject({
      code: 'document-altered',
      detail: expect.stringContaining('incremental update'),
    });
  });

  it('reports even a single byte appended after the signed part', async () => {
    const appended = new Uint8Array(Buffer.concat([signed, Buffer.from('\n')]));
    await expect(verifyNoticePdf(appended, identity.trust)).rejects.toMatchObject({
      code: 'document-altered',
    });
  });

  it('refuses a notice signed under another root', async () => {
    const other = await testIdentity('Another deployment');
    const pdf = await renderNoticePdf(sampleNotice());
    const foreign = await signNoticePdf(pdf, await other.signerFor('131016'));
    await expect(verifyNoticePdf(foreign, other.trust)).resolves.toMatchObject({
      municipalityCode: '131016',
    });
    await expect(verifyNoticePdf(foreign, identity.trust)).rejects.toMatchObject({
      code: 'certificate-untrusted',
    });
  });

  it('judges the certificate at the signing time: expired when signed after its end', async () => {
    const pdf = await renderNoticePdf(sampleNotice());
    const notice = await signNoticePdf(pdf, signer, { signingTime: new Date(Date.now() + 4 * 365 * DAY) });
    // A signing time in the future is not believed (judged now): valid.
    await expect(verifyNoticePdf(notice, identity.trust)).resolves.toBeDefined();
    // Seen from after that time, the certificate had ended when it signed.
    await expect(
      verifyNoticePdf(notice, identity.trust, { now: new Date(Date.now() + 5 * 365 * DAY) }),
    ).rejects.toMatchObject({ code: 'certificate-expired' });
  });

  it('refuses a PDF without a signature, and signing a notice twice', async () => {
    const pdf = await renderNoticePdf(sampleNotice());
    await expect(verifyNoticePdf(pdf, identity.trust)).rejects.toMatchObject({ code: 'encoding-invalid' });
    await expect(signNoticePdf(signed, signer)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('signs for the municipality the signer is for: 札幌市長', async () => {
    const sapporo = await identity.signerFor('011002');
    const pdf = await renderNoticePdf(sampleNotice({ municipality: sapporo.municipality }));
    await expect(verifyNoticePdf(await signNoticePdf(pdf, sapporo), identity.trust)).resolves.toMatchObject({
      municipalityCode: '011002',
      municipalityName: '札幌市',
      signerTitle: '札幌市長',
    });
  });
});
