// Shared by the notice tests: a notice to render, and signing identities made in memory.
// Not part of the module's API (index.ts does not export it).
import type { DispositionNotice } from './notice.ts';
import { type NoticeSigner, noticeSignerFrom } from './notice-signer.ts';
import { createNoticeTrust, type NoticeTrust } from './notice-trust.ts';
import { signerMunicipalityOf } from './signer-municipality.ts';
import { createNoticeRoot, issueSignerCertificate, type NoticeAuthority } from './signing-authority.ts';

export const DAY = 24 * 3_600_000;

export const REJECTION_REASONS =
  '申請時点において、請求者は千代田区の区域内に住所を有していなかったため、' +
  '児童手当法第8条第1項に定める認定の要件を満たしません。';

export function sampleNotice(overrides: Partial<DispositionNotice> = {}): DispositionNotice {
  return {
    documentNumber: '千代子発第123号',
    issuedOn: '2025-04-01',
    addressee: { name: '山田 太郎', address: '東京都千代田区千代田一丁目1番1号' },
    municipality: signerMunicipalityOf('131016'),
    title: '児童手当 認定通知書',
    outcome: 'approved',
    procedure: {
      name: '児童手当等の受給資格及び児童手当の額についての認定請求',
      legalBasis: '児童手当法第7条第1項',
    },
    receiptNumber: 'R7-131016-000123',
    filedOn: '2025-03-10',
    decision: '児童手当の受給資格を認定します。\n支給額は月額10,000円、支給開始月は令和7年4月分です。',
    ...overrides,
  };
}

export interface TestIdentity {
  readonly root: NoticeAuthority;
  readonly trust: NoticeTrust;
  readonly signerFor: (code: string, validity?: { now?: Date }) => Promise<NoticeSigner>;
}

/** A root and signers under it, all in memory, valid from a month ago. */
export async function testIdentity(name = 'Machi (test)'): Promise<TestIdentity> {
  const monthAgo = new Date(Date.now() - 30 * DAY);
  const root = await createNoticeRoot({ name, now: monthAgo });
  return {
    root,
    trust: await createNoticeTrust([root.certificate]),
    signerFor: async (code, validity = {}) => {
      const signer = await issueSignerCertificate(root, signerMunicipalityOf(code), {
        now: validity.now ?? monthAgo,
        extractable: false,
      });
      return noticeSignerFrom(signer, [root.certificate]);
    },
  };
}
