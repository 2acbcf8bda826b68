import { MachiError } from '../../../core/index.ts';
import type { SignerMunicipality } from './signer-municipality.ts';

/** Everything a disposition notice (処分通知) says, in the words it prints. */
export interface DispositionNotice {
  /** 文書番号, e.g. 千代子発第123号. */
  readonly documentNumber: string;
  /** The day of the notice; an instant is taken as its day in Asia/Tokyo. Printed in 和暦. */
  readonly issuedOn: Date | string;
  /** The resident the notice is addressed to (宛名): the one who filed. */
  readonly addressee: { readonly name: string; readonly address?: string };
  /** The 処分庁: the municipality and its head (signerMunicipalityOf gives both from a code). */
  readonly municipality: SignerMunicipality;
  /** The heading, e.g. 児童手当 認定通知書 or 児童手当 認定請求却下通知書. */
  readonly title: string;
  readonly outcome: 'approved' | 'rejected';
  readonly procedure: { readonly name: string; readonly legalBasis?: string };
  /** The receipt number the resident was given on filing. */
  readonly receiptNumber: string;
  /** When the application was filed. */
  readonly filedOn: Date | string;
  /** What was decided, in the clerk's words; blank lines separate paragraphs. */
  readonly decision: string;
  /** Why. Required for a rejection: 行政手続法第8条 makes the reasons part of a refusal. */
  readonly reasons?: string;
  /**
   * The 教示 on how to contest the decision (行政不服審査法第82条, 行政事件訴訟法第46条).
   * Given by default for a rejection and left out for an approval; `{}` adds it to an
   * approval, 'none' leaves it out. `reviewAuthority` names the 審査庁 when it is not the
   * municipality's head (e.g. the prefectural governor for some 法定受託事務).
   */
  readonly appeal?: { readonly reviewAuthority?: string } | 'none';
}

/** Characters across all the text of one notice: enough for pages of reasons, not for a book. */
export const MAX_NOTICE_CHARACTERS = 20_000;

const invalid = (detail: string, field: string) => new MachiError('validation-failed', detail, { field });

/** Refuses a notice that would be unlawful or absurd to print, naming the field. */
export function checkNotice(notice: DispositionNotice): void {
  const required: [string, string][] = [
    ['documentNumber', notice.documentNumber],
    ['addressee.name', notice.addressee.name],
    ['title', notice.title],
    ['procedure.name', notice.procedure.name],
    ['receiptNumber', notice.receiptNumber],
    ['decision', notice.decision],
  ];
  for (const [field, value] of required) {
    if (value.trim() === '') throw invalid(`The notice needs ${field}.`, field);
  }
  if (notice.outcome === 'rejected' && !notice.reasons?.trim()) {
    throw invalid('A rejection must state its reasons (行政手続法第8条).', 'reasons');
  }
  const total = [...required.map(([, value]) => value), notice.reasons ?? '', notice.addressee.address ?? '']
    .map((value) => value.length)
    .reduce((sum, length) => sum + length, 0);
  if (total > MAX_NOTICE_CHARACTERS) {
    throw invalid(`The notice text is longer than ${MAX_NOTICE_CHARACTERS} characters.`, 'decision');
  }
}

/** Whether the notice carries the 教示, and the 審査庁 it names. */
export function appealOf(notice: DispositionNotice): { reviewAuthority: string } | undefined {
  const appeal = notice.appeal ?? (notice.outcome === 'rejected' ? {} : 'none');
  if (appeal === 'none') return undefined;
  return { reviewAuthority: appeal.reviewAuthority ?? notice.municipality.headTitle };
}
