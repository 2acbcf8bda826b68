/**
 * The signature's place in the PDF (ISO 32000-1 §12.8): an invisible signature field on the
 * first page whose value is a signature dictionary with a /Contents hole of fixed size and a
 * /ByteRange to fill in once the file's final bytes — and so the hole's offset — are known.
 */
import { type PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import type { SignerMunicipality } from './signer-municipality.ts';

/**
 * Room for the CMS SignedData, in bytes (written as twice as many hex digits). Ours is about
 * 3 KB (two RSA-2048 certificates and the signature); the rest leaves room for longer
 * names, a bigger key or, later, an RFC 3161 timestamp token.
 */
export const CONTENTS_BYTES = 8192;

/**
 * Stand-ins for the three ByteRange numbers not known before saving. A name of ten
 * characters serialises to eleven bytes, room for any offset below 10 GB, and is rewritten
 * in place, padded with spaces, so that no other byte of the file moves.
 */
export const OFFSET_PLACEHOLDER = '**********';

export interface SignatureFieldOptions {
  readonly municipality: SignerMunicipality;
  readonly signingTime: Date;
}

/** Adds the empty signature field; the document must be saved without object streams after. */
export function addSignatureField(doc: PDFDocument, options: SignatureFieldOptions): void {
  const context = doc.context;
  const placeholder = PDFName.of(OFFSET_PLACEHOLDER);
  const signature = context.register(
    context.obj({
      Type: 'Sig',
      Filter: 'Adobe.PPKLite',
      // adbe.pkcs7.detached (ISO 32000-1 §12.8.3.3, PAdES part 2): a detached CMS over the
      // ByteRange. Not ETSI.CAdES.detached: PAdES baseline forbids the CMS signingTime
      // attribute, which jpki's CMS always carries (it is the time a verifier judges by).
      SubFilter: 'adbe.pkcs7.detached',
      ByteRange: [0, placeholder, placeholder, placeholder],
      Contents: PDFHexString.of('0'.repeat(CONTENTS_BYTES * 2)),
      M: PDFString.fromDate(options.signingTime),
      // Text strings in UTF-16BE with a byte order mark (§7.9.2.2), as Japanese needs.
      Name: PDFHexString.fromText(options.municipality.headTitle),
      Reason: PDFHexString.fromText('処分通知'),
      Location: PDFHexString.fromText(options.municipality.name),
    }),
  );
  const page = doc.getPage(0);
  // An invisible field: a widget with an empty rectangle (§12.7.4.5), printable (F 4) and locked (F 128).
  const widget = context.register(
    context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      T: PDFHexString.fromText('署名'),
      Rect: [0, 0, 0, 0],
      F: 132,
      P: page.ref,
      V: signature,
    }),
  );
  page.node.addAnnot(widget);
  // SigFlags 3: SignaturesExist | AppendOnly — a reader must not rewrite the file (§12.7.2).
  doc.catalog.set(PDFName.of('AcroForm'), context.obj({ Fields: [widget], SigFlags: 3 }));
}
