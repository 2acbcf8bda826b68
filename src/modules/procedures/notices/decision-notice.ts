import { randomUUID } from 'node:crypto';
import { signatureView } from '../cases/case-view.ts';
import type { MadeNotice, NoticeInput } from '../cases/staff-steps.ts';
import type { DispositionNotice } from './notice.ts';
import type { NoticeSigner } from './notice-signer.ts';
import { renderNoticePdf } from './render-notice.ts';
import { signNoticePdf } from './sign-notice-pdf.ts';
import { signerMunicipalityOf } from './signer-municipality.ts';
import { ensureNoticeSigners, loadNoticeSigner } from './signer-store.ts';

/** The heading: the procedure's name and what kind of notice this is. */
function titleOf(input: NoticeInput): string {
  return `${input.procedure.definition.name.ja} ${input.outcome === 'approved' ? '決定通知書' : '却下通知書'}`;
}

/**
 * Turns a clerk's decision into a disposition notice (処分通知) and signs it with the
 * municipality's key: addressed to the resident who signed the filing (the name their
 * signing certificate carries), numbered by the receipt, with the clerk's words as the
 * decision and, for a rejection, as the reasons (行政手続法第8条).
 */
export function createNoticeMaker(
  keysDir: string,
  served: readonly string[],
): (input: NoticeInput) => Promise<MadeNotice> {
  const signers = new Map<string, Promise<NoticeSigner>>();
  const signerOf = (code: string) => {
    let signer = signers.get(code);
    if (!signer) {
      // Made on first use (a zone that never decides needs no keys), once per process.
      signer = ensureNoticeSigners(keysDir, served, { now: new Date() }).then(() =>
        loadNoticeSigner(keysDir, code),
      );
      signer.catch(() => signers.delete(code));
      signers.set(code, signer);
    }
    return signer;
  };
  return async (input) => {
    const signed = await signatureView(input.document, input.signature);
    const rejected = input.outcome === 'rejected';
    const notice: DispositionNotice = {
      documentNumber: `電子申請第${input.receiptNumber.slice(-6)}号`,
      issuedOn: input.decidedAt,
      addressee: { name: signed.signer?.name ?? '申請者' },
      municipality: signerMunicipalityOf(input.scope.municipalityCode),
      title: titleOf(input),
      outcome: input.outcome,
      procedure: {
        name: input.procedure.definition.name.ja,
        legalBasis: input.procedure.definition.legalBasis.ja,
      },
      receiptNumber: input.receiptNumber,
      filedOn: input.filedAt,
      decision: rejected
        ? '上記により申請のあった件については、次の理由により却下します。'
        : `上記により申請のあった件については、申請のとおり決定しました。${input.reasons ? `\n\n${input.reasons}` : ''}`,
      ...(rejected ? { reasons: input.reasons } : {}),
    };
    const pdf = await signNoticePdf(
      await renderNoticePdf(notice),
      await signerOf(input.scope.municipalityCode),
      {
        signingTime: input.decidedAt,
      },
    );
    return { noticeId: randomUUID(), title: notice.title, pdf };
  };
}
