import type { LgCode } from '../../../core/index.ts';
import { MachiError } from '../../../core/index.ts';
import type { Procedure } from '../catalogue/load-catalogue.ts';
import { parseSignedDocument, type SignedDocument } from './signed-document.ts';
import type { SignatureCheck, SubmissionContext } from './submission-context.ts';

/** What is checked of a signed filing, first or corrected: the same rules for both. */
export interface SignedFiling {
  readonly procedureId: string;
  readonly resident: { readonly id: string; readonly municipalityCode: LgCode };
  readonly document: Uint8Array;
  readonly signature: Uint8Array | undefined;
}

async function checkAttachments(
  context: SubmissionContext,
  procedure: Procedure,
  filing: SignedFiling,
  document: SignedDocument,
) {
  const declared = new Map(procedure.definition.attachments.map((a) => [a.id, a]));
  const seen = new Set<string>();
  for (const [index, attachment] of document.attachments.entries()) {
    const path = `/attachments/${index}`;
    if (!declared.has(attachment.id) || declared.get(attachment.id)!.onceOnly) {
      throw new MachiError('validation-failed', 'The procedure asks for no such attachment.', {
        errors: [{ path, problem: 'unknown attachment' }],
      });
    }
    if (seen.has(attachment.uploadId)) {
      throw new MachiError('validation-failed', 'The same file is attached twice.', {
        errors: [{ path, problem: 'repeated' }],
      });
    }
    seen.add(attachment.uploadId);
    const upload = await context.rebuiltUpload({
      municipalityCode: filing.resident.municipalityCode,
      uploadId: attachment.uploadId,
      uploadedBy: filing.resident.id,
    });
    if (!upload || upload.sha256 !== attachment.sha256) {
      throw new MachiError('validation-failed', 'An attachment is not a sanitized upload of yours.', {
        errors: [{ path, problem: 'no such sanitized upload' }],
      });
    }
  }
  const attached = new Set(document.attachments.map((a) => a.id));
  const missing = procedure.definition.attachments.filter(
    (a) => a.required && !a.onceOnly && !attached.has(a.id),
  );
  if (missing.length > 0) {
    throw new MachiError('validation-failed', 'A required attachment is missing.', {
      errors: missing.map((a) => ({
        path: '/attachments',
        field: a.name.ja,
        problem: `「${a.name.ja}」を添付してください。`,
      })),
    });
  }
}

async function checkSignature(context: SubmissionContext, procedure: Procedure, filing: SignedFiling) {
  if (!filing.signature) {
    if (procedure.definition.signatureRequired) {
      throw new MachiError(
        'validation-failed',
        'This procedure needs the signature of your My Number card.',
        {
          errors: [{ path: '/signature', problem: '署名用電子証明書による署名が必要です。' }],
        },
      );
    }
    return undefined;
  }
  const report = await context.verifySignature(filing.signature, filing.document);
  if (!report.documentIntact)
    throw new MachiError('signature-invalid', 'The signature is not over this filing.');
  if (report.certificateStatus.atSigning === 'revoked') throw new MachiError('certificate-revoked');
  if (!report.valid) throw new MachiError('signature-invalid');
  return report;
}

/**
 * The signed document checked: its shape, procedure and municipality, the form's items,
 * attachments that are this resident's sanitized uploads, and the card's signature over
 * exactly these bytes. Throws problem-ready errors naming the items at fault.
 */
export async function checkFiling(
  context: SubmissionContext,
  procedure: Procedure,
  filing: SignedFiling,
): Promise<{ document: SignedDocument; signature: SignatureCheck | undefined }> {
  const document = parseSignedDocument(filing.document);
  if (document.procedureId !== filing.procedureId) {
    throw new MachiError('validation-failed', 'The filing is for another procedure.', {
      errors: [{ path: '/procedureId', problem: 'differs' }],
    });
  }
  if (document.municipalityCode !== filing.resident.municipalityCode) {
    throw new MachiError('tenant-forbidden', 'You can file only with your own municipality.');
  }
  const errors = procedure.validate(document.data);
  if (errors.length > 0) {
    throw new MachiError('validation-failed', errors.map((e) => e.message.ja).join(' '), {
      errors: errors.map((e) => ({
        path: `/data${e.path}`,
        field: e.field,
        problem: e.message.ja,
        problemEn: e.message.en,
      })),
    });
  }
  await checkAttachments(context, procedure, filing, document);
  const signature = await checkSignature(context, procedure, filing);
  return { document, signature };
}
