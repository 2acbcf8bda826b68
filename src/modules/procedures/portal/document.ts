import type { Procedure } from '../catalogue/load-catalogue.ts';
import type { SignedDocument } from '../submissions/signed-document.ts';
import type { DraftAttachment } from './drafts.ts';
import type { FormData, FormNode } from './form-schema.ts';
import { inSchemaOrder } from './form-values.ts';

/**
 * The exact bytes a resident signs (submissions/signed-document.ts): UTF-8 JSON of the
 * procedure, the municipality, the form data in the official form's order, the attachments
 * by their rebuilt files' SHA-256 in the order the procedure declares them, and when it was
 * filed. Made once per confirmation (documentToSign keeps them), never rebuilt on posting.
 */
export function buildDocument(input: {
  procedure: Procedure;
  municipalityCode: string;
  data: FormData;
  attachments: Readonly<Record<string, DraftAttachment>>;
  filedAt: Date;
}): Uint8Array {
  const { definition } = input.procedure;
  const document: SignedDocument = {
    procedureId: definition.id,
    municipalityCode: input.municipalityCode,
    data: inSchemaOrder(definition.schema as FormNode, input.data) as FormData,
    attachments: definition.attachments
      .filter((a) => !a.onceOnly && input.attachments[a.id])
      .map((a) => ({
        id: a.id,
        uploadId: input.attachments[a.id]!.uploadId,
        sha256: input.attachments[a.id]!.sha256,
      })),
    filedAt: input.filedAt.toISOString(),
  };
  return new TextEncoder().encode(JSON.stringify(document));
}
