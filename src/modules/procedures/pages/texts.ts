import type { Text } from '../../../core/index.ts';
import type { CaseStatus } from '../cases/case-status.ts';
import type { CaseEventKind } from '../cases/tables.ts';
import type { ProcedureDefinition } from '../catalogue/definition.ts';

export const lgwanZoneLabel: Text = { ja: 'LGWAN接続系', en: 'LGWAN zone' };

export const labels = {
  home: { ja: 'ホーム', en: 'Home' },
  queue: { ja: '申請の審査', en: 'Case queue' },
  caseTitle: { ja: '申請', en: 'Case' },
  cases: { ja: '申請一覧', en: 'Cases' },
  filters: { ja: '絞り込み', en: 'Filter' },
  procedure: { ja: '手続', en: 'Procedure' },
  allProcedures: { ja: 'すべての手続', en: 'All procedures' },
  status: { ja: '状態', en: 'Status' },
  openStatuses: {
    ja: '未処理（受付済み・審査中・補正依頼中）',
    en: 'Open (received, in review, correction requested)',
  },
  allStatuses: { ja: 'すべて', en: 'All' },
  mine: { ja: '自分の担当のみ', en: 'Assigned to me only' },
  applyFilters: { ja: '絞り込む', en: 'Filter' },
  csv: { ja: 'この条件でCSVをダウンロード（Excel対応）', en: 'Download these cases as CSV (opens in Excel)' },
  receiptNumber: { ja: '受付番号', en: 'Receipt number' },
  procedureName: { ja: '手続名', en: 'Procedure' },
  submittedAt: { ja: '申請日時', en: 'Filed' },
  dueOn: { ja: '処理期限', en: 'Due' },
  daysLeft: { ja: '残り日数', en: 'Days left' },
  assignee: { ja: '担当', en: 'Assigned to' },
  version: { ja: '版', en: 'Version' },
  noCases: { ja: '該当する申請はありません。', en: 'No case matches.' },
  next: { ja: '次のページ', en: 'Next page' },
  previous: { ja: '前のページ', en: 'Previous page' },
  nobody: { ja: '未割当', en: 'Unassigned' },
  you: { ja: '（自分）', en: ' (you)' },
  noPeriod: { ja: '期限なし', en: 'No deadline' },
  closed: { ja: '—', en: '—' },
  summary: { ja: '概要', en: 'Summary' },
  formData: { ja: '申請内容', en: 'Form data' },
  changedSincePrevious: { ja: '前の版から変更された項目', en: 'Items changed since the previous version' },
  changed: { ja: '変更あり', en: 'changed' },
  absent: { ja: '（記入なし）', en: '(not given)' },
  yes: { ja: 'はい', en: 'Yes' },
  no: { ja: 'いいえ', en: 'No' },
  attachments: { ja: '添付書類', en: 'Attachments' },
  noAttachments: { ja: '添付書類はありません。', en: 'No attachments.' },
  attachmentName: { ja: '書類', en: 'Document' },
  arrival: { ja: '到着状況', en: 'Arrival' },
  arrived: { ja: '到着済み（無害化済み）', en: 'Arrived (sanitized)' },
  onTheWay: { ja: '未到着（無害化・転送中）', en: 'Not arrived yet (being sanitized and sent)' },
  hashMismatch: {
    ja: '署名された内容と一致しません',
    en: 'Does not match what was signed',
  },
  fileKind: { ja: '形式・大きさ', en: 'Type and size' },
  download: { ja: 'ダウンロード', en: 'Download' },
  signature: { ja: '電子署名', en: 'Signature' },
  signaturePresent: { ja: '署名', en: 'Signature' },
  noSignature: { ja: '署名なし', en: 'Not signed' },
  intact: { ja: '署名は有効で、申請内容は改ざんされていません', en: 'Valid: the filing is as it was signed' },
  broken: { ja: '署名を検証できません', en: 'The signature does not verify' },
  revocationNote: {
    ja: '証明書の失効は、申請の受付時にポータルで確認済みです。',
    en: 'The certificate’s revocation status was checked by the portal when the filing was received.',
  },
  signerName: { ja: '氏名', en: 'Name' },
  signerBirth: { ja: '生年月日', en: 'Date of birth' },
  signerSex: { ja: '性別', en: 'Sex' },
  signerAddress: { ja: '住所', en: 'Address' },
  serialNumber: { ja: '証明書シリアル番号', en: 'Certificate serial number' },
  signingTime: { ja: '署名日時', en: 'Signed at' },
  unknown: { ja: '不明', en: 'unknown' },
  olderVersions: { ja: '以前の版', en: 'Earlier versions' },
  versionOf: { ja: '第{n}版', en: 'Version {n}' },
  history: { ja: '処理の履歴', en: 'History' },
  at: { ja: '日時', en: 'When' },
  event: { ja: '内容', en: 'What' },
  actor: { ja: '実施者', en: 'By' },
  detail: { ja: '詳細', en: 'Details' },
  applicant: { ja: '申請者', en: 'Applicant' },
  system: { ja: 'システム', en: 'System' },
  notices: { ja: '処分通知', en: 'Disposition notices' },
  noNotices: { ja: '処分通知はまだありません。', en: 'No notice has been issued.' },
  noticeTitle: { ja: '件名', en: 'Title' },
  issuedAt: { ja: '発行日時', en: 'Issued' },
  noticeId: { ja: '通知ID', en: 'Notice id' },
  actions: { ja: '処理', en: 'Actions' },
  closedCase: {
    ja: 'この申請は処理済みです。コメントのみ追加できます。',
    en: 'This case is closed. Only comments can be added.',
  },
  assign: { ja: '担当者', en: 'Assignment' },
  assignTo: { ja: '担当者を選ぶ', en: 'Assign to' },
  assignSubmit: { ja: '担当にする', en: 'Assign' },
  unassign: { ja: '担当を外す', en: 'Unassign' },
  comment: { ja: 'コメント（職員のみ閲覧）', en: 'Comment (staff only)' },
  commentHint: { ja: '申請者には表示されません。', en: 'The applicant never sees it.' },
  commentSubmit: { ja: 'コメントを追加する', en: 'Add the comment' },
  review: { ja: '審査の開始', en: 'Start the review' },
  reviewHint: {
    ja: '審査を開始すると、申請者はオンラインで取下げできなくなります。',
    en: 'Once the review starts, the applicant can no longer withdraw online.',
  },
  reviewSubmit: { ja: '審査を開始する', en: 'Start the review' },
  correction: { ja: '補正の依頼', en: 'Request a correction' },
  correctionMessage: { ja: '申請者へのメッセージ', en: 'Message to the applicant' },
  correctionHint: {
    ja: '何をどのように直すべきかを具体的に書いてください。申請者に表示されます。',
    en: 'Say what to correct and how. The applicant sees this.',
  },
  correctionFields: { ja: '補正が必要な項目', en: 'Items to correct' },
  correctionSubmit: { ja: '補正を依頼する', en: 'Request the correction' },
  approve: { ja: '承認（決定）', en: 'Approve' },
  approveNote: { ja: '通知書に添える文（任意）', en: 'Text for the notice (optional)' },
  approveSubmit: { ja: '承認し、決定通知書を発行する', en: 'Approve and issue the notice' },
  reject: { ja: '却下', en: 'Reject' },
  rejectReasons: { ja: '却下の理由（必須）', en: 'Reasons (required)' },
  rejectHint: {
    ja: '行政手続法第8条により、理由は却下通知書に記載されます。',
    en: 'The reasons are printed on the notice (Administrative Procedure Act, art. 8).',
  },
  rejectSubmit: { ja: '却下し、却下通知書を発行する', en: 'Reject and issue the notice' },
  problem: { ja: '入力内容を確認してください', en: 'There is a problem' },
  notFound: { ja: '申請が見つかりません', en: 'Case not found' },
  notFoundBody: {
    ja: 'この受付番号の申請は、あなたの自治体にはありません。受付番号を確認してください。',
    en: 'Your municipality has no case with this receipt number. Check the number.',
  },
  backToQueue: { ja: '申請の一覧へ戻る', en: 'Back to the queue' },
  required: { ja: '必須', en: 'required' },
  results: { ja: '{total}件中 {from}〜{to}件', en: '{from}–{to} of {total}' },
} satisfies Record<string, Text>;

/** 状態 as the back office says it. */
export const statusLabels: Record<CaseStatus, Text> = {
  received: { ja: '受付済み', en: 'Received' },
  'in-review': { ja: '審査中', en: 'In review' },
  'correction-requested': { ja: '補正依頼中', en: 'Correction requested' },
  approved: { ja: '承認', en: 'Approved' },
  rejected: { ja: '却下', en: 'Rejected' },
  withdrawn: { ja: '取下げ', en: 'Withdrawn' },
};

export const eventLabels: Record<CaseEventKind, Text> = {
  received: { ja: '受付', en: 'Received' },
  assigned: { ja: '担当者の変更', en: 'Assignment' },
  comment: { ja: 'コメント', en: 'Comment' },
  'review-started': { ja: '審査開始', en: 'Review started' },
  'correction-requested': { ja: '補正依頼', en: 'Correction requested' },
  corrected: { ja: '補正（再申請）', en: 'Corrected' },
  approved: { ja: '承認', en: 'Approved' },
  rejected: { ja: '却下', en: 'Rejected' },
  withdrawn: { ja: '取下げ', en: 'Withdrawn' },
  'withdrawal-refused': { ja: '取下げ不可', en: 'Withdrawal refused' },
};

export const categoryLabels: Record<ProcedureDefinition['category'], Text> = {
  'child-rearing': { ja: '子育て', en: 'Child-rearing' },
  care: { ja: '介護', en: 'Care' },
  disaster: { ja: '被災者支援', en: 'Disaster relief' },
  vehicle: { ja: '自動車保有', en: 'Vehicles' },
  facility: { ja: '施設の利用', en: 'Facilities' },
};

export const sexLabels: Record<string, Text> = {
  '1': { ja: '男', en: 'Male' },
  '2': { ja: '女', en: 'Female' },
  '9': { ja: '適用不能', en: 'Not applicable' },
};

/** What a step did, shown once after the redirect (`?done=<key>`: a key, never free text). */
export const doneMessages = {
  assigned: { ja: '担当者を設定しました。', en: 'The case has been assigned.' },
  unassigned: { ja: '担当を外しました。', en: 'The case is now unassigned.' },
  commented: { ja: 'コメントを追加しました。', en: 'The comment has been added.' },
  'review-started': { ja: '審査を開始しました。', en: 'The review has started.' },
  'correction-requested': {
    ja: '補正を依頼しました。申請者に通知されます。',
    en: 'The correction has been requested; the applicant is told.',
  },
  approved: {
    ja: '承認し、決定通知書を発行しました。申請者に通知されます。',
    en: 'Approved; the notice has been issued to the applicant.',
  },
  rejected: {
    ja: '却下し、却下通知書を発行しました。申請者に通知されます。',
    en: 'Rejected; the notice has been issued to the applicant.',
  },
} satisfies Record<string, Text>;
export type DoneKey = keyof typeof doneMessages;

export function isDoneKey(value: unknown): value is DoneKey {
  return typeof value === 'string' && Object.hasOwn(doneMessages, value);
}

/** Why a step was refused, in the clerk's words (the API says it in English). */
export const refusals: Partial<Record<string, Text>> = {
  conflict: {
    ja: 'この申請の現在の状態では、その処理はできません。他の職員が先に処理した可能性があります。画面の状態を確認してください。',
    en: 'The case’s current status does not allow that. Another clerk may have acted first; check the status.',
  },
  'not-found': labels.notFoundBody,
  'validation-failed': { ja: '入力内容を確認してください。', en: 'Check what you entered.' },
};

/** The ids of the fields a step's error can point at (the error summary links to them). */
export type FieldId =
  | 'assign-staff'
  | 'comment-text'
  | 'correction-message'
  | 'correction-fields'
  | 'reject-reasons';

/** What a field of a refused step says. */
export const fieldMessages: Record<FieldId, Text> = {
  'assign-staff': {
    ja: '担当者には、この自治体の審査担当職員を選んでください。',
    en: 'Choose a case worker of this municipality.',
  },
  'comment-text': { ja: 'コメントを入力してください。', en: 'Enter a comment.' },
  'correction-message': {
    ja: '申請者へのメッセージを入力してください。',
    en: 'Enter a message to the applicant.',
  },
  'correction-fields': {
    ja: 'この手続にない項目が選ばれています。一覧から選び直してください。',
    en: 'An item this procedure does not have was chosen. Choose again from the list.',
  },
  'reject-reasons': {
    ja: '却下の理由を入力してください（行政手続法第8条）。',
    en: 'Enter the reasons for the rejection (Administrative Procedure Act, art. 8).',
  },
};

export { fill } from '../../../core/index.ts';
