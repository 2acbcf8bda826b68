import type { Kysely } from 'kysely';
import { MachiError, type TenantScope } from '../../../core/index.ts';
import { type BasicFour, readBasicFour, verifyDetached } from '../../jpki/index.ts';
import { receivedFiles } from '../../sanitize/index.ts';
import type { Procedure } from '../catalogue/load-catalogue.ts';
import { parseSignedDocument } from '../submissions/signed-document.ts';
import { daysBetween, japanDate, type QueueEntry } from './case-queue.ts';
import { finalStatuses } from './case-status.ts';
import { type RegistryCheckView, registryChecksOf } from './registry-checks.ts';
import type { CaseEventKind, CasesDb } from './tables.ts';

/** What the back office can tell of a version's signature by itself (the portal checked revocation at filing). */
export interface SignatureView {
  readonly present: boolean;
  /** The signature verifies and is over exactly this version's bytes. */
  readonly intact: boolean;
  readonly serialNumber: string | null;
  readonly signingTime: string | null;
  /** The signer's 基本4情報 from the signing certificate. */
  readonly signer: BasicFour | null;
  readonly problem: string | null;
}

export interface CaseVersionView {
  readonly version: number;
  readonly submittedAt: Date;
  readonly receivedAt: Date;
  readonly data: Record<string, unknown>;
  readonly attachments: readonly {
    readonly id: string;
    readonly name: { readonly ja: string; readonly en: string };
    readonly uploadId: string;
    readonly sha256: string;
    /** The rebuilt file, once it has crossed the sanitizer; null while on its way. */
    readonly received: {
      readonly mediaType: string;
      readonly bytes: number;
      readonly intact: boolean;
    } | null;
  }[];
  readonly signature: SignatureView;
  /** The signer's 基本4情報 checked against the registry (住基照会); null when not asked (no usable signature). */
  readonly registryCheck: RegistryCheckView | null;
}

export interface CaseView extends QueueEntry {
  readonly submittedBy: string;
  readonly versions: readonly CaseVersionView[];
  readonly events: readonly {
    readonly at: Date;
    readonly actor: string;
    readonly kind: CaseEventKind;
    readonly version: number;
    readonly message: string | null;
    readonly details: Record<string, unknown>;
  }[];
  readonly notices: readonly { readonly noticeId: string; readonly title: string; readonly issuedAt: Date }[];
}

export async function signatureView(
  document: Uint8Array,
  signature: Uint8Array | null,
): Promise<SignatureView> {
  const none = { serialNumber: null, signingTime: null, signer: null };
  if (!signature) return { present: false, intact: false, ...none, problem: null };
  try {
    const verified = await verifyDetached(signature, document);
    let signer: BasicFour | null = null;
    try {
      signer = readBasicFour(verified.signer);
    } catch {}
    return {
      present: true,
      intact: verified.documentIntact,
      serialNumber: verified.signer.serialNumber,
      signingTime: verified.signingTime?.toISOString() ?? null,
      signer,
      problem: verified.documentIntact ? null : 'The document is not the one that was signed.',
    };
  } catch (error) {
    return { present: true, intact: false, ...none, problem: (error as Error).message };
  }
}

/** A case as a clerk sees it: every version with its data, attachments and signature, its history and notices. */
export async function readCase(
  // biome-ignore lint/suspicious/noExplicitAny: the zone's database, of any tables.
  db: Kysely<any>,
  scope: TenantScope,
  catalogue: ReadonlyMap<string, Procedure>,
  receiptNumber: string,
  now: Date,
): Promise<CaseView> {
  const cases = db as CasesDb;
  const row = await cases
    .selectFrom('procedure_cases')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('receipt_number', '=', receiptNumber)
    .executeTakeFirst();
  if (!row) throw new MachiError('not-found', 'No such case in this municipality.');
  const [versions, events, notices, checks] = await Promise.all([
    cases
      .selectFrom('procedure_case_versions')
      .selectAll()
      .where('municipality_code', '=', scope.municipalityCode)
      .where('submission_id', '=', row.submission_id)
      .orderBy('version', 'desc')
      .execute(),
    cases
      .selectFrom('procedure_case_events')
      .select(['at', 'actor', 'kind', 'version', 'message', 'details'])
      .where('municipality_code', '=', scope.municipalityCode)
      .where('submission_id', '=', row.submission_id)
      .orderBy('event_no')
      .execute(),
    cases
      .selectFrom('procedure_notices')
      .select(['notice_id', 'title', 'issued_at'])
      .where('municipality_code', '=', scope.municipalityCode)
      .where('submission_id', '=', row.submission_id)
      .orderBy('issued_at')
      .execute(),
    registryChecksOf(db, scope, row.submission_id),
  ]);
  const procedure = catalogue.get(row.procedure_id);
  const declared = new Map(procedure?.definition.attachments.map((a) => [a.id, a.name]) ?? []);
  const documents = versions.map((version) => parseSignedDocument(new Uint8Array(version.document)));
  const arrived = new Map(
    (
      await receivedFiles(
        db,
        scope,
        documents.flatMap((document) => document.attachments.map((a) => a.uploadId)),
      )
    ).map((file) => [file.uploadId, file]),
  );
  const versionViews: CaseVersionView[] = [];
  for (const [index, version] of versions.entries()) {
    const document = documents[index]!;
    versionViews.push({
      version: version.version,
      submittedAt: new Date(version.submitted_at),
      receivedAt: new Date(version.received_at),
      data: document.data,
      attachments: document.attachments.map((attachment) => {
        const file = arrived.get(attachment.uploadId);
        return {
          ...attachment,
          name: declared.get(attachment.id) ?? { ja: attachment.id, en: attachment.id },
          received: file
            ? { mediaType: file.mediaType, bytes: file.bytes, intact: file.sha256 === attachment.sha256 }
            : null,
        };
      }),
      signature: await signatureView(
        new Uint8Array(version.document),
        version.signature ? new Uint8Array(version.signature) : null,
      ),
      registryCheck: checks.get(version.version) ?? null,
    });
  }
  return {
    receiptNumber: row.receipt_number,
    submissionId: row.submission_id,
    procedureId: row.procedure_id,
    procedureName: procedure?.definition.name ?? { ja: row.procedure_id, en: row.procedure_id },
    status: row.status,
    version: row.version,
    submittedAt: new Date(row.submitted_at),
    submittedBy: row.submitted_by,
    dueOn: row.due_on,
    daysLeft:
      row.due_on && !finalStatuses.includes(row.status) ? daysBetween(japanDate(now), row.due_on) : null,
    assignedTo: row.assigned_to,
    versions: versionViews,
    events: events.map((event) => ({
      at: new Date(event.at),
      actor: event.actor,
      kind: event.kind,
      version: event.version,
      message: event.message,
      details: (typeof event.details === 'string' ? JSON.parse(event.details) : event.details) as Record<
        string,
        unknown
      >,
    })),
    notices: notices.map((notice) => ({
      noticeId: notice.notice_id,
      title: notice.title,
      issuedAt: new Date(notice.issued_at),
    })),
  };
}
