import type { AuditLog, Clock, Database, LgCode } from '../../../core/index.ts';
import type { Procedure } from '../catalogue/load-catalogue.ts';

export interface SignatureCheck {
  readonly documentIntact: boolean;
  readonly valid: boolean;
  readonly serialNumber: string;
  readonly certificateStatus: { readonly atSigning: 'good' | 'revoked' };
}

export interface SubmissionContext {
  readonly database: Database;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly catalogue: ReadonlyMap<string, Procedure>;
  /** The card's CMS signature over the document (jpki, in the composition). */
  verifySignature(signature: Uint8Array, document: Uint8Array): Promise<SignatureCheck>;
  /** A rebuilt upload of this resident's, by id (sanitize, in the composition). */
  rebuiltUpload(where: {
    municipalityCode: LgCode;
    uploadId: string;
    uploadedBy: string;
  }): Promise<{ sha256: string } | undefined>;
}
