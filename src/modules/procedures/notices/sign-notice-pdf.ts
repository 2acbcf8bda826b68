import { PDFDocument, PDFName } from 'pdf-lib';
import { MachiError } from '../../../core/index.ts';
import { signDetached } from '../../jpki/index.ts';
import { fillSignature } from './byte-range.ts';
import type { NoticeSigner } from './notice-signer.ts';
import { addSignatureField } from './signature-field.ts';

export interface SignNoticeOptions {
  /** When the municipality signs; the CMS signingTime and the dictionary's /M. Default: now. */
  readonly signingTime?: Date;
}

/**
 * Signs a rendered notice in the municipality's name, PAdES-style: an invisible signature
 * field whose CMS SignedData (jpki's signDetached: SHA-256, RSA, signingTime and ESS
 * signingCertificateV2, with the signer's certificate and its root) covers the whole file
 * but the hole it sits in. The file is rewritten once, before signing, never after: any
 * later change — even an incremental update — no longer matches the ByteRange.
 */
export async function signNoticePdf(
  pdf: Uint8Array,
  signer: NoticeSigner,
  options: SignNoticeOptions = {},
): Promise<Uint8Array> {
  const signingTime = options.signingTime ?? new Date();
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  if (doc.catalog.has(PDFName.of('AcroForm'))) {
    throw new MachiError('conflict', 'The notice already has a form or a signature; it is signed once.');
  }
  addSignatureField(doc, { municipality: signer.municipality, signingTime });
  // No object streams: the signature dictionary must be plain text for its hole to be found.
  const saved = await doc.save({ useObjectStreams: false, updateFieldAppearances: false });
  return fillSignature(saved, (covered) =>
    signDetached(covered, signer, { signingTime, chain: signer.chain }),
  );
}
