import type { Text } from '../../../core/index.ts';

export const portalZoneLabel: Text = { ja: 'インターネット接続系', en: 'Internet zone' };

/** The resident portal's words for online procedures (電子申請), Japanese first. */
export const portal = {
  home: { ja: 'ホーム', en: 'Home' },
  myPage: { ja: 'マイページ', en: 'My page' },
  catalogue: { ja: 'オンライン手続', en: 'Online procedures' },
  catalogueLead: {
    ja: 'マイナンバーカードを使って、窓口に行かずに申請できる手続の一覧です。',
    en: 'Procedures you can file online with your My Number card, without visiting the office.',
  },
  search: { ja: '手続名で探す', en: 'Search by name' },
  searchHint: { ja: '例：児童手当、保育、要介護', en: 'e.g. child allowance, nursery, care' },
  searchSubmit: { ja: '検索', en: 'Search' },
  searchResults: { ja: '「{q}」の検索結果：{n}件', en: '{n} results for “{q}”' },
  noResults: {
    ja: '該当する手続はありません。別の言葉で探してください。',
    en: 'No procedure matches. Try other words.',
  },
  showAll: { ja: 'すべての手続を表示', en: 'Show all procedures' },
  notFound: { ja: 'ページが見つかりません', en: 'Page not found' },
  notFoundProcedure: {
    ja: 'この手続はありません。手続の一覧から探してください。',
    en: 'There is no such procedure. Find it in the list.',
  },
  about: { ja: '手続の概要', en: 'About this procedure' },
  legalBasis: { ja: '根拠法令', en: 'Legal basis' },
  level: { ja: '担当', en: 'Handled by' },
  levels: {
    municipality: { ja: '市区町村', en: 'Municipality' },
    prefecture: { ja: '都道府県', en: 'Prefecture' },
  },
  filers: { ja: '申請できる人', en: 'Who may file' },
  filerKinds: {
    self: { ja: '本人', en: 'The person concerned' },
    parent: { ja: '親権者・保護者', en: 'A parent or guardian' },
    proxy: { ja: '代理人', en: 'A proxy' },
  },
  needed: { ja: '必要なもの', en: 'What you need' },
  card: {
    ja: 'マイナンバーカード（署名用電子証明書のパスワード：英数字6～16文字）',
    en: 'Your My Number card (the signing password: 6–16 letters and digits)',
  },
  cardNoSignature: {
    ja: 'マイナンバーカード（サインイン用の暗証番号：数字4桁）',
    en: 'Your My Number card (the sign-in PIN: 4 digits)',
  },
  attachments: { ja: '添付書類', en: 'Attachments' },
  noAttachments: { ja: '添付書類は不要です。', en: 'No attachments are needed.' },
  requiredAttachment: { ja: '必須', en: 'Required' },
  optionalAttachment: { ja: '該当する場合', en: 'If it applies' },
  onceOnly: {
    ja: '市区町村が自ら確認するため、添付は不要です（ワンスオンリー）。',
    en: 'The municipality looks this up itself: you need not attach it (once-only).',
  },
  fee: { ja: '手数料', en: 'Fee' },
  noFee: { ja: 'かかりません', en: 'None' },
  yen: { ja: '{n}円', en: '{n} yen' },
  period: { ja: '標準処理期間', en: 'Standard processing period' },
  periodDays: { ja: '{n}日', en: '{n} days' },
  noPeriod: { ja: '定めなし', en: 'Not set' },
  start: { ja: '申請を始める', en: 'Start the application' },
  resume: { ja: '下書きから再開する', en: 'Continue your draft' },
  signInToStart: { ja: 'マイナンバーカードでサインインして申請する', en: 'Sign in with your card to apply' },
  signInNote: {
    ja: '申請にはマイナンバーカードでのサインインが必要です。',
    en: 'You need to sign in with your My Number card to apply.',
  },
  backToCatalogue: { ja: '手続の一覧へ戻る', en: 'Back to the procedures' },
  // form steps
  stepOf: { ja: '{n} / {total}', en: 'Step {n} of {total}' },
  steps: { ja: '申請の流れ', en: 'Steps' },
  stepAttachments: { ja: '添付書類', en: 'Attachments' },
  stepConfirm: { ja: '確認と署名', en: 'Check and sign' },
  stepConfirmNoSignature: { ja: '確認と送信', en: 'Check and send' },
  required: { ja: '必須', en: 'required' },
  next: { ja: '次へ進む', en: 'Continue' },
  back: { ja: '前に戻る', en: 'Back' },
  save: { ja: '一時保存する', en: 'Save and come back later' },
  saved: {
    ja: '下書きを保存しました。最後の保存から30日間、続きから再開できます。',
    en: 'Your draft is saved. You can continue it for 30 days after the last save.',
  },
  draftKept: {
    ja: '入力内容は下書きとして保存され、30日間保存されます。',
    en: 'What you enter is saved as a draft and kept for 30 days.',
  },
  addRow: { ja: '{item}を追加する', en: 'Add another: {item}' },
  removeRow: { ja: 'この{item}を削除する', en: 'Remove this: {item}' },
  rowTitle: { ja: '{item}（{n}件目）', en: '{item} ({n})' },
  chooseOne: { ja: '選択してください', en: 'Choose one' },
  yes: { ja: 'はい', en: 'Yes' },
  no: { ja: 'いいえ', en: 'No' },
  absent: { ja: '（記入なし）', en: '(not given)' },
  numberHint: { ja: '半角数字で入力してください。', en: 'Digits only.' },
  dateHint: { ja: '例：2026-04-01', en: 'e.g. 2026-04-01' },
  prefilled: { ja: 'マイナンバーカードの情報を入力しました', en: 'Filled in from your My Number card' },
  prefillNote: {
    ja: '内容を確認し、違う場合は直してください。',
    en: 'Check them and correct anything that differs.',
  },
  errorSummary: { ja: '入力内容を確認してください', en: 'There is a problem' },
  notANumber: { ja: '「{field}」は半角数字で入力してください。', en: '"{field}" must be a number.' },
  toCorrect: { ja: '補正が必要な項目', en: 'Needs correcting' },
  correctionIntro: {
    ja: '市区町村から補正（修正）を求められています。印の付いた項目を直し、もう一度署名して送信してください。',
    en: 'The office asks you to correct your application. Correct the marked items, then sign and send it again.',
  },
  officeMessage: { ja: '市区町村からのメッセージ', en: 'Message from the office' },
  // attachments
  attachmentsLead: {
    ja: '書類の写真（JPEG・PNG）またはPDFを選んで「アップロード」を押してください。ファイルは無害化（安全な形に作り直し）してから市区町村へ送られます。',
    en: 'Choose a photo (JPEG, PNG) or PDF of each document and press Upload. Files are disarmed and rebuilt before they go to the office.',
  },
  chooseFile: { ja: 'ファイルを選ぶ', en: 'Choose a file' },
  fileHint: { ja: '{mb}MBまで', en: 'Up to {mb} MB' },
  upload: { ja: 'アップロード', en: 'Upload' },
  replace: { ja: '別のファイルに差し替える', en: 'Replace with another file' },
  remove: { ja: '取り消す', en: 'Remove' },
  uploaded: { ja: '受け付けました（無害化済み）', en: 'Accepted (rebuilt safely)' },
  removedParts: {
    ja: '安全のため、次のものを取り除きました：{what}',
    en: 'Removed for safety: {what}',
  },
  refused: { ja: 'このファイルは受け付けられませんでした', en: 'This file could not be accepted' },
  noFileChosen: { ja: 'ファイルを選んでください。', en: 'Choose a file.' },
  fileTooLarge: {
    ja: 'ファイルが大きすぎます。{mb}MB以下のファイルを選んでください。',
    en: 'The file is too large. Choose one of {mb} MB or less.',
  },
  attachmentMissing: { ja: '「{name}」を添付してください。', en: 'Attach "{name}".' },
  notAttached: { ja: '未添付', en: 'Not attached' },
  previousFile: { ja: '前回の申請で添付したファイル', en: 'the file attached to the application before' },
  // confirmation
  confirmLead: {
    ja: '内容を確認してください。直すときは各項目の「変更する」から戻れます。',
    en: 'Check your application. Use "Change" to go back to a part.',
  },
  change: { ja: '変更する', en: 'Change' },
  changeItem: { ja: '「{item}」を変更する', en: 'Change "{item}"' },
  sign: { ja: '署名して申請する', en: 'Sign and apply' },
  sendWithoutSignature: { ja: '申請する', en: 'Apply' },
  signCorrection: { ja: '署名して補正を送信する', en: 'Sign and send the correction' },
  signHeading: { ja: 'マイナンバーカードで署名', en: 'Sign with your My Number card' },
  signLead: {
    ja: '申請内容に署名用電子証明書で電子署名します。署名用パスワードを入力してください。',
    en: 'Your application is signed with the signing certificate. Enter your signing password.',
  },
  password: { ja: '署名用パスワード（英数字6～16文字）', en: 'Signing password (6–16 letters and digits)' },
  passwordHint: {
    ja: '5回続けて間違えるとロックされます。パスワードはこのブラウザの外には送られません。',
    en: 'Five wrong tries in a row lock it. The password never leaves this browser.',
  },
  needsScript: {
    ja: 'マイナンバーカードでの署名には JavaScript が必要です。',
    en: 'Signing with the card needs JavaScript.',
  },
  documentNote: {
    ja: '署名する内容（申請データ）は、この画面の内容をそのまま電子化したものです。',
    en: 'What is signed is exactly the application shown on this page.',
  },
  invalidBeforeSigning: {
    ja: '未入力または誤りのある項目があります。直してから署名してください。',
    en: 'Some items are missing or wrong. Correct them before signing.',
  },
  // receipt and filings
  receiptTitle: { ja: '申請を受け付けました', en: 'Your application was received' },
  receiptNumber: { ja: '受付番号', en: 'Receipt number' },
  receiptNote: {
    ja: '受付番号は、お問い合わせの際に必要です。控えておいてください。',
    en: 'Keep this number: you need it when you contact the office.',
  },
  correctedNote: {
    ja: '補正した内容を送信しました。市区町村が確認します。',
    en: 'Your correction was sent. The office will check it.',
  },
  withdrawnNote: { ja: '取下げを申し出ました。', en: 'You asked to withdraw the application.' },
  paidNote: { ja: '手数料のお支払いが完了しました。', en: 'The fee has been paid.' },
  filings: { ja: '申請の一覧', en: 'My applications' },
  noFilings: { ja: 'まだ申請はありません。', en: 'You have not applied yet.' },
  filing: { ja: '申請の状況', en: 'Application status' },
  procedure: { ja: '手続', en: 'Procedure' },
  submittedAt: { ja: '申請日時', en: 'Filed' },
  status: { ja: '状態', en: 'Status' },
  whatNext: { ja: '次にすること', en: 'What next' },
  version: { ja: '版', en: 'Version' },
  itemsToCorrect: { ja: '補正が必要な項目', en: 'Items to correct' },
  correct: { ja: '補正する', en: 'Correct it' },
  withdraw: { ja: '取り下げる', en: 'Withdraw' },
  withdrawHint: {
    ja: '審査が始まる前であれば、申請を取り下げることができます。取り下げた申請は元に戻せません。',
    en: 'Before the review starts you can withdraw the application. This cannot be undone.',
  },
  withdrawalPending: {
    ja: '取下げを申し出ています。市区町村からの返事をお待ちください。',
    en: 'You have asked to withdraw; wait for the office’s answer.',
  },
  payFee: { ja: '手数料を支払う', en: 'Pay the fee' },
  feeDue: { ja: '手数料{amount}のお支払いが必要です。', en: 'A fee of {amount} is due.' },
  toFilings: { ja: '申請の一覧へ', en: 'To my applications' },
  inbox: { ja: 'お知らせ', en: 'Inbox' },
  noInbox: { ja: 'お知らせはありません。', en: 'Nothing in your inbox.' },
  unread: { ja: '未読', en: 'Unread' },
  noticeDownload: { ja: '{title}（PDF）をダウンロード', en: 'Download {title} (PDF)' },
  receivedAt: { ja: '日時', en: 'When' },
  notice: { ja: '通知書', en: 'Notice' },
  // fee
  feeTitle: { ja: '手数料の支払い', en: 'Pay the fee' },
  feeAmount: { ja: '金額', en: 'Amount' },
  feeState: { ja: '支払状況', en: 'Payment' },
  payBy: { ja: '支払方法', en: 'How to pay' },
  byCard: { ja: 'クレジットカード', en: 'Credit card' },
  byKonbini: { ja: 'コンビニエンスストア', en: 'Convenience store' },
  byPayeasy: { ja: 'ペイジー（銀行ATM・ネットバンキング）', en: 'Pay-easy (bank ATM or online banking)' },
  cardNumber: { ja: 'カード番号', en: 'Card number' },
  cardNumberHint: {
    ja: '半角数字14～16桁（テスト環境：4242424242424242 で承認されます）',
    en: '14–16 digits (test service: 4242424242424242 is approved)',
  },
  pay: { ja: '支払う', en: 'Pay' },
  konbiniNumbers: { ja: 'コンビニでのお支払い番号', en: 'Numbers to pay at the store' },
  payeasyNumbers: { ja: 'ペイジーでのお支払い番号', en: 'Numbers to pay by Pay-easy' },
  konbiniReceipt: { ja: '受付番号', en: 'Payment number' },
  confirmationNumber: { ja: '確認番号', en: 'Confirmation number' },
  collectorNumber: { ja: '収納機関番号', en: 'Collector number' },
  customerNumber: { ja: 'お客様番号', en: 'Customer number' },
  payUntil: { ja: '支払期限', en: 'Pay by' },
  checkPayment: { ja: '支払状況を確認する', en: 'Check the payment' },
  notPaidYet: {
    ja: 'まだお支払いを確認できません。お支払い後にもう一度確認してください。',
    en: 'The payment has not arrived yet. Check again after paying.',
  },
  noFeeDue: { ja: 'この申請に手数料はかかりません。', en: 'This application owes no fee.' },
  declined: {
    ja: 'カードでのお支払いができませんでした。別のカードか別の支払方法をお試しください。',
    en: 'The card payment was declined. Try another card or another way to pay.',
  },
  paymentUnavailable: {
    ja: '決済サービスに接続できませんでした。しばらくしてからもう一度お試しください（二重に請求されることはありません）。',
    en: 'The payment service could not be reached. Try again shortly (you will not be charged twice).',
  },
  cardNumberInvalid: {
    ja: 'カード番号は半角数字14～16桁で入力してください。',
    en: 'Enter the card number as 14 to 16 digits.',
  },
} satisfies Record<string, Text | Record<string, Text>>;

/** A filing's status as the resident reads it, and what they can do next. */
export const residentStatus: Record<string, { label: Text; next: Text }> = {
  submitted: {
    label: { ja: '受付済み（送信準備中）', en: 'Received (being sent)' },
    next: {
      ja: '市区町村へ送信しています。手数料がある場合は、お支払い後に送信されます。',
      en: 'It is being sent to the office; with a fee, once the fee is paid.',
    },
  },
  received: {
    label: { ja: '受付済み', en: 'Received' },
    next: {
      ja: '審査の開始をお待ちください。審査が始まるまでは取り下げることができます。',
      en: 'Wait for the review to start. Until then you can withdraw it.',
    },
  },
  'in-review': {
    label: { ja: '審査中', en: 'In review' },
    next: { ja: '審査の結果をお待ちください。', en: 'Wait for the outcome of the review.' },
  },
  'correction-requested': {
    label: { ja: '補正依頼あり', en: 'Correction requested' },
    next: {
      ja: '市区町村からのメッセージを読み、「補正する」から直して、もう一度署名して送信してください。',
      en: 'Read the office’s message, then use "Correct it", sign and send again.',
    },
  },
  approved: {
    label: { ja: '承認（決定）', en: 'Approved' },
    next: {
      ja: '決定通知書が「お知らせ」に届いています。',
      en: 'The decision notice is in your inbox.',
    },
  },
  rejected: {
    label: { ja: '却下', en: 'Rejected' },
    next: {
      ja: '理由は「お知らせ」の通知書をご覧ください。手数料は返金されます。',
      en: 'The reasons are in the notice in your inbox. Any fee is refunded.',
    },
  },
  withdrawn: {
    label: { ja: '取下げ済み', en: 'Withdrawn' },
    next: { ja: 'この申請の手続は終了しました。', en: 'This application is closed.' },
  },
};

/** 支払状況 of a fee. */
export const feeStates: Record<string, Text> = {
  due: { ja: '未払い', en: 'Due' },
  pending: { ja: '支払い手続中', en: 'In progress' },
  paid: { ja: '支払済み', en: 'Paid' },
  failed: { ja: '支払いできませんでした', en: 'Failed' },
  refunding: { ja: '返金手続中', en: 'Being refunded' },
  refunded: { ja: '返金済み', en: 'Refunded' },
  'refund-manual': { ja: '口座振込で返金予定', en: 'To be refunded by bank transfer' },
  cancelled: { ja: '取消し', en: 'Cancelled' },
};

/** Why the sanitizer refused a file (its RefusalReason codes), said to the resident. */
export const refusalReasons: Record<string, Text> = {
  'type-not-allowed': {
    ja: 'この種類のファイルは受け付けていません。写真（JPEG・PNG）またはPDFにしてください。',
    en: 'This kind of file is not accepted. Use a photo (JPEG, PNG) or a PDF.',
  },
  'too-large': { ja: 'ファイルが大きすぎます。', en: 'The file is too large.' },
  'too-many-pages': { ja: 'ページ数が多すぎます。', en: 'The file has too many pages.' },
  'too-many-pixels': {
    ja: '画像の画素数が大きすぎます。解像度を下げてください。',
    en: 'The image is too large; lower its resolution.',
  },
  'too-many-entries': { ja: 'ファイルの中身が多すぎます。', en: 'The file holds too many entries.' },
  'compression-ratio': {
    ja: '圧縮の形式が安全でないため受け付けられません。',
    en: 'The file’s compression looks unsafe.',
  },
  'nesting-too-deep': { ja: 'ファイルの構造が複雑すぎます。', en: 'The file is nested too deeply.' },
  'line-too-long': { ja: '1行が長すぎます。', en: 'A line of the file is too long.' },
  malformed: {
    ja: 'ファイルが壊れているか、拡張子と中身が一致しません。',
    en: 'The file is damaged, or its content is not what its name says.',
  },
  encrypted: {
    ja: 'パスワード付き（暗号化された）ファイルは受け付けられません。',
    en: 'Password-protected (encrypted) files are not accepted.',
  },
  'encoding-unknown': { ja: '文字コードを判別できません。', en: 'The text encoding is unknown.' },
  timeout: {
    ja: '処理に時間がかかりすぎました。小さいファイルでお試しください。',
    en: 'It took too long; try a smaller file.',
  },
  'memory-limit': {
    ja: '処理に必要な大きさを超えました。小さいファイルでお試しください。',
    en: 'It needed too much memory; try a smaller file.',
  },
  'worker-crashed': {
    ja: '処理できませんでした。もう一度お試しください。',
    en: 'It could not be processed; please try again.',
  },
};

/** What refused a signed filing, in the resident's words (problem codes of the filing). */
export const filingRefusals: Record<string, Text> = {
  'signature-invalid': {
    ja: '電子署名を確認できませんでした。もう一度署名してください。',
    en: 'The signature could not be verified. Please sign again.',
  },
  'certificate-revoked': {
    ja: '署名用電子証明書が失効しています。市区町村の窓口にご相談ください。',
    en: 'Your signing certificate has been revoked. Please ask your municipality’s counter.',
  },
  'certificate-expired': {
    ja: '署名用電子証明書の有効期限が切れています。窓口で更新してください。',
    en: 'Your signing certificate has expired. Renew it at the counter.',
  },
  'certificate-status-unknown': {
    ja: '電子証明書の状態を確認できませんでした。少し待ってからもう一度お試しください。',
    en: 'The certificate status could not be checked. Wait a moment and try again.',
  },
  'pki-not-ready': {
    ja: '現在、署名を確認できません。しばらくしてからお試しください。',
    en: 'Signatures cannot be checked right now. Try again later.',
  },
  'not-found': {
    ja: 'お住まいの市区町村では、この手続をオンラインで受け付けていません。',
    en: 'Your municipality does not accept this procedure online.',
  },
  conflict: {
    ja: 'この申請はすでに送信されたか、状態が変わっています。申請の一覧で確認してください。',
    en: 'This was sent already or its status changed. Check your applications.',
  },
  'tenant-forbidden': {
    ja: 'お住まいの市区町村以外には申請できません。',
    en: 'You can apply only to your own municipality.',
  },
  'validation-failed': {
    ja: '申請内容に誤りがあります。内容を確認してください。',
    en: 'Something in the application is wrong. Check it.',
  },
};

export { fill } from '../../../core/index.ts';

/** What the sanitizer takes out of a file (its Removed kinds), in the resident's words. */
export const removedKinds: Record<string, Text> = {
  exif: { ja: '撮影情報（Exif）', en: 'camera data (Exif)' },
  gps: { ja: '位置情報（GPS）', en: 'location (GPS)' },
  xmp: { ja: '付加情報（XMP）', en: 'extra data (XMP)' },
  icc: { ja: '色の設定（ICC）', en: 'colour profile (ICC)' },
  'text-chunk': { ja: '埋め込まれた文字情報', en: 'embedded text' },
  'trailing-data': { ja: 'ファイル末尾の余分なデータ', en: 'data after the end of the file' },
  javascript: { ja: 'JavaScript', en: 'JavaScript' },
  'open-action': { ja: '自動で動く処理', en: 'actions run on opening' },
  'additional-actions': { ja: '自動で動く処理', en: 'automatic actions' },
  launch: { ja: '外部プログラムの起動', en: 'program launches' },
  uri: { ja: '外部へのリンク', en: 'links' },
  'embedded-file': { ja: '埋め込みファイル', en: 'embedded files' },
  macro: { ja: 'マクロ', en: 'macros' },
  'external-relationship': { ja: '外部への参照', en: 'external references' },
  formula: { ja: '数式', en: 'formulas' },
};

/** Said when a filing came without the card's signature (no script in the browser, or it failed). */
export const signatureNeeded: Text = {
  ja: 'マイナンバーカードによる電子署名が必要です。JavaScript を有効にして、署名用パスワードを入力してください。',
  en: 'The signature of your My Number card is needed. Turn on JavaScript and enter your signing password.',
};
