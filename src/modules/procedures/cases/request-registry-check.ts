import { randomUUID } from 'node:crypto';
import type { TenantScope } from '../../../core/index.ts';
import type { AnyTransaction } from './case-record.ts';
import { signatureView } from './case-view.ts';
import type { CasesDb } from './tables.ts';

/** The question for mynumber about one version's signer (see the gateway's registry.basic-four-check). */
export interface RegistryCheckRequest {
  readonly checkId: string;
  readonly submissionId: string;
  readonly version: number;
  readonly name: string;
  /** YYYY-MM-DD */
  readonly dateOfBirth: string;
  readonly sex: '1' | '2' | '9';
  readonly address: string;
}

/**
 * What to ask the registry about a version just received: the 基本4情報 of the signing
 * certificate that signed it, under a new check id. null when there is nothing to ask: no
 * signature, one that does not verify, or one whose certificate carries no basic four. Nothing is written: the caller
 * checks the question fits the message, then marks it asked (markRegistryChecksRequested) and
 * sends it in the same transaction.
 */
export async function registryCheckFor(
  trx: AnyTransaction,
  scope: TenantScope,
  submissionId: string,
  version: number,
): Promise<RegistryCheckRequest | null> {
  const row = await (trx as CasesDb)
    .selectFrom('procedure_case_versions')
    .select(['document', 'signature'])
    .where('municipality_code', '=', scope.municipalityCode)
    .where('submission_id', '=', submissionId)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) return null;
  return registryQuestion(
    submissionId,
    version,
    new Uint8Array(row.document),
    row.signature ? new Uint8Array(row.signature) : null,
  );
}

/** The same question from a version's bytes in hand (a filing just received, as stored). */
export async function registryQuestion(
  submissionId: string,
  version: number,
  document: Uint8Array,
  signature: Uint8Array | null,
): Promise<RegistryCheckRequest | null> {
  if (!signature) return null;
  const { intact, signer } = await signatureView(document, signature);
  // A signature that does not verify over this version vouches for no one: nothing to look up.
  if (!intact || !signer) return null;
  return {
    checkId: randomUUID(),
    submissionId,
    version,
    name: signer.name,
    dateOfBirth: signer.dateOfBirth,
    sex: signer.sex,
    address: signer.address,
  };
}
