import type { ErrorCode, Text } from '../../core/index.ts';

export interface ProblemDescription {
  /** The title in Japanese (codes.ts holds the English title that problem+json carries). */
  readonly titleJa: string;
  /** What the person or client should do next. */
  readonly action: Text;
}

/**
 * What each problem type means for the reader, per code in core/errors/codes.ts.
 * Partial so that adding a code never breaks the build of someone else's change;
 * problems.test.ts fails until the new code is described here, and meanwhile its
 * page shows the English title alone.
 */
export const problemDescriptions: Readonly<Partial<Record<ErrorCode, ProblemDescription>>> = {
  'validation-failed': {
    titleJa: '入力内容に誤りがあります',
    action: {
      ja: '「errors」に示された項目を確認し、正しい形式で入力し直してください。',
      en: 'Check the fields listed in `errors` and send the request again in the expected format.',
    },
  },
  'lg-code-invalid': {
    titleJa: '地方公共団体コードが正しくありません',
    action: {
      ja: '6桁の地方公共団体コード（検査数字を含む。JIS X 0402）を入力してください。',
      en: 'Give the 6-digit local government code including its check digit (JIS X 0402).',
    },
  },
  'my-number-invalid': {
    titleJa: '個人番号が正しくありません',
    action: {
      ja: '12桁の個人番号を確認してください。最後の1桁は検査用数字です。',
      en: 'Check the 12-digit My Number; its last digit is a check digit.',
    },
  },
  'resident-code-invalid': {
    titleJa: '住民票コードが正しくありません',
    action: {
      ja: '11桁の住民票コードを確認してください。',
      en: 'Check the 11-digit resident code (住民票コード).',
    },
  },
  'date-invalid': {
    titleJa: '日付が正しくありません',
    action: {
      ja: '実在する日付を YYYY-MM-DD の形式で入力してください。',
      en: 'Give a date that exists, written as YYYY-MM-DD.',
    },
  },
  'csv-invalid': {
    titleJa: 'CSVファイルを読み取れません',
    action: {
      ja: '文字コード（UTF-8）、見出し行、列の数を確認してください。エラーの行番号が示されます。',
      en: 'Check the encoding (UTF-8), the header row and the number of columns; the failing line is given.',
    },
  },
  'municipality-unknown': {
    titleJa: '該当する地方公共団体がありません',
    action: {
      ja: '全国地方公共団体コードに載っているコードか確認してください。',
      en: 'Check that the code is on the national list of local government codes.',
    },
  },
  'municipality-not-served': {
    titleJa: 'この環境ではその地方公共団体を扱っていません',
    action: {
      ja: 'トップページに、この環境が対象とする地方公共団体の一覧があります。',
      en: 'The home page lists the municipalities this deployment serves.',
    },
  },
  'not-found': {
    titleJa: 'ページまたはデータが見つかりません',
    action: {
      ja: 'アドレスを確認するか、トップページからたどってください。',
      en: 'Check the address, or start again from the home page.',
    },
  },
  'authentication-required': {
    titleJa: 'サインインが必要です',
    action: {
      ja: 'サインインしてから、もう一度お試しください。',
      en: 'Sign in, then try again.',
    },
  },
  'credentials-invalid': {
    titleJa: 'ユーザー名、パスワードまたはワンタイムコードが違います',
    action: {
      ja: '入力を確認してください。ワンタイムコードは30秒ごとに変わります。繰り返し失敗するとアカウントがロックされます。',
      en: 'Check what you typed; the one-time code changes every 30 seconds. Repeated failures lock the account.',
    },
  },
  'account-locked': {
    titleJa: '失敗が続いたためアカウントがロックされています',
    action: {
      ja: '時間をおいてから試すか、所属の管理者に解除を依頼してください。',
      en: 'Wait and try later, or ask your administrator to unlock the account.',
    },
  },
  forbidden: {
    titleJa: 'この操作を行う権限がありません',
    action: {
      ja: '必要な権限（ロール）は所属の管理者に相談してください。',
      en: 'Ask your administrator about the role this needs.',
    },
  },
  'tenant-forbidden': {
    titleJa: 'そのデータは他の地方公共団体のものです',
    action: {
      ja: '自分の所属する地方公共団体のデータだけを扱えます。',
      en: 'You can work only with the data of your own municipality.',
    },
  },
  'csrf-invalid': {
    titleJa: 'フォームの有効期限が切れました',
    action: {
      ja: 'ページを再読み込みして、もう一度送信してください。',
      en: 'Reload the page and submit the form again.',
    },
  },
  conflict: {
    titleJa: '現在の状態と矛盾するため処理できません',
    action: {
      ja: '最新の状態を読み込み直してから、もう一度お試しください。',
      en: 'Load the current state again, then retry.',
    },
  },
  'payload-too-large': {
    titleJa: '送信データが大きすぎます',
    action: {
      ja: 'ファイルを小さくするか、分けて送信してください。',
      en: 'Send a smaller file, or split it.',
    },
  },
  'unsupported-media-type': {
    titleJa: 'このデータ形式は受け付けていません',
    action: {
      ja: 'Content-Type を確認してください（JSON、フォーム、または指定された形式）。',
      en: 'Check the Content-Type (JSON, a form, or the format the endpoint names).',
    },
  },
  'gateway-unauthenticated': {
    titleJa: 'ゲートウェイのメッセージが認証されていません',
    action: {
      ja: '送信元ゾーンの鍵設定を確認してください（運用担当者向け）。',
      en: "Check the sending zone's key configuration (for operators).",
    },
  },
  'gateway-route-forbidden': {
    titleJa: 'そのゾーンからはこのメッセージを送れません',
    action: {
      ja: '三層の対策により、ゾーン間の経路は決められています。送信元と宛先を確認してください（運用担当者向け）。',
      en: 'The three-layer model fixes which zone may send what; check sender and recipient (for operators).',
    },
  },
  'gateway-message-invalid': {
    titleJa: 'ゲートウェイのメッセージがスキーマに合いません',
    action: {
      ja: 'メッセージの種類と版、スキーマを確認してください（運用担当者向け）。',
      en: "Check the message's kind, version and schema (for operators).",
    },
  },
  'gateway-unreachable': {
    titleJa: '他のゾーンからゲートウェイ経由の応答がありません',
    action: {
      ja: '時間をおいてもう一度お試しください。続く場合は運用担当者がゲートウェイと相手ゾーンの稼働を確認してください。',
      en: 'Try again later. If it persists, operators should check the gateway and the other zone.',
    },
  },
  'encoding-invalid': {
    titleJa: '証明書・署名・要求の形式が読み取れません',
    action: {
      ja: 'DER、PEM または base64 の形式と、途中で切れていないかを確認してください。',
      en: 'Check the DER, PEM or base64 encoding and that nothing was cut off.',
    },
  },
  'signature-invalid': {
    titleJa: '電子署名が正しくありません',
    action: {
      ja: 'マイナンバーカードでもう一度署名してください。文書が改ざんされている可能性があります。',
      en: 'Sign again with your My Number card. The document may have been altered.',
    },
  },
  'document-altered': {
    titleJa: '署名された後に文書が変更されています',
    action: {
      ja: 'この文書は署名後に書き換えられているため、内容を信頼できません。発行元から届いた元のファイルを確認してください。',
      en: 'The file was changed after it was signed, so its content cannot be trusted. Check the original file as the issuer sent it.',
    },
  },
  'certificate-untrusted': {
    titleJa: '信頼できる認証局の電子証明書ではありません',
    action: {
      ja: 'マイナンバーカードの電子証明書を使ってください。',
      en: 'Use the certificate on your My Number card.',
    },
  },
  'certificate-expired': {
    titleJa: '電子証明書の有効期限が切れています',
    action: {
      ja: 'お住まいの市区町村の窓口で電子証明書を更新してください。',
      en: 'Renew the certificate at the counter of your municipality.',
    },
  },
  'certificate-not-yet-valid': {
    titleJa: '電子証明書の有効期間がまだ始まっていません',
    action: {
      ja: 'お使いの機器の日時を確認し、しばらくしてからもう一度お試しください。',
      en: "Check your device's date and time, then try again later.",
    },
  },
  'certificate-revoked': {
    titleJa: '電子証明書は失効しています',
    action: {
      ja: 'カードの紛失・転出などで失効した電子証明書は使えません。市区町村の窓口で再発行を申請してください。',
      en: 'A certificate revoked after loss, move-out or the like cannot be used. Ask your municipality for a new one.',
    },
  },
  'certificate-wrong-usage': {
    titleJa: 'この用途の電子証明書ではありません',
    action: {
      ja: 'ログインには利用者証明用電子証明書（数字4桁の暗証番号）、署名には署名用電子証明書（6～16桁のパスワード）を使ってください。',
      en: 'Sign in with the authentication certificate (4-digit PIN); sign documents with the signing certificate (6–16 character password).',
    },
  },
  'certificate-status-unknown': {
    titleJa: '電子証明書の失効状況を確認できません',
    action: {
      ja: '安全のため、確認できるまでは受け付けません。時間をおいてもう一度お試しください。',
      en: 'For safety nothing is accepted until the status is known. Try again later.',
    },
  },
  'challenge-invalid': {
    titleJa: 'ログインの有効時間が過ぎたか、既に使われています',
    action: {
      ja: 'ログインの画面からもう一度やり直してください。',
      en: 'Start the sign-in again from the sign-in page.',
    },
  },
  'pin-incorrect': {
    titleJa: '暗証番号またはパスワードが違います',
    action: {
      ja: '暗証番号（数字4桁）は3回、署名用パスワードは5回続けて間違えるとロックされます。',
      en: 'The 4-digit PIN locks after 3 wrong tries in a row, the signing password after 5.',
    },
  },
  'card-locked': {
    titleJa: 'カードがロックされています',
    action: {
      ja: '暗証番号の誤りが続いたためロックされました。市区町村の窓口で初期化を申請してください。',
      en: 'Wrong PINs locked the card. Ask the counter of your municipality to reset it.',
    },
  },
  'pki-not-ready': {
    titleJa: '電子証明書の認証局が準備されていません',
    action: {
      ja: '運用担当者が `machi pki init` で認証局を作成してください。',
      en: 'An operator creates the authority with `machi pki init`.',
    },
  },
  'file-refused': {
    titleJa: 'このファイルは受け付けられません（無害化できませんでした）',
    action: {
      ja: '「reason」と「detail」に理由があります。PDF・JPEG・PNG・Word（.docx）・Excel（.xlsx）・CSV などの形式で、マクロやパスワードのないファイルを送ってください。',
      en: 'See "reason" and "detail". Send a PDF, JPEG, PNG, Word (.docx), Excel (.xlsx) or CSV file without macros or passwords.',
    },
  },
  'payment-declined': {
    titleJa: 'お支払いができませんでした',
    action: {
      ja: 'カード会社によりお支払いが承認されませんでした（理由は「declineCode」）。別のカードまたはコンビニ・ペイジーでお支払いください。',
      en: 'The card issuer or provider refused the payment (reason in `declineCode`). Pay with another card, or at a convenience store or by Pay-easy.',
    },
  },
  'payment-unavailable': {
    titleJa: '決済サービスに接続できません',
    action: {
      ja: 'しばらく待ってから、もう一度お試しください。二重に請求されることはありません。',
      en: 'Wait a moment and try again with the same request; you will not be charged twice.',
    },
  },
  'mail-not-configured': {
    titleJa: 'メールの送信は設定されていません',
    action: {
      ja: 'この環境ではメールでのお知らせを利用できません。お知らせはマイページの「お知らせ」でご確認ください。',
      en: 'Notices by e-mail are not available here; read them in the inbox on your page. Operators set MACHI_SMTP_URL.',
    },
  },
  'qr-invalid': {
    titleJa: 'QRコードを支払いコードとして読み取れません',
    action: {
      ja: 'お店のQRコードをもう一度読み取ってください。汚れや破れがある場合はお店の方にお知らせください。何も支払われていません。',
      en: "Scan the shop's QR code again; if it is dirty or torn, tell the shop. Nothing was paid.",
    },
  },
  'merchant-unknown': {
    titleJa: 'このお店ではポイントを使えません',
    action: {
      ja: 'お店が加盟店として登録されているか、お店の方に確認してください。何も支払われていません。',
      en: 'Ask the shop whether it accepts municipal points. Nothing was paid.',
    },
  },
  'points-insufficient': {
    titleJa: 'ポイントが足りません',
    action: {
      ja: '残高と有効期限を確認してください。期限を過ぎたポイントは使えません。何も引き落とされていません。',
      en: 'Check the balance and the expiry dates: expired points cannot be spent. Nothing was deducted.',
    },
  },
  'not-eligible': {
    titleJa: 'この事業の対象ではありません',
    action: {
      ja: '対象となる条件（年齢など）は住民基本台帳の記録で確かめています。条件を満たす方は、お住まいの市区町村にお問い合わせください。ポイントは付与されていません。',
      en: 'Who may take part (by age, for instance) is checked against the resident registry. If you should be eligible, ask your municipality. No points were granted.',
    },
  },
  'earning-cap-reached': {
    titleJa: 'この事業で受け取れるポイントの上限に達しています',
    action: {
      ja: '期間（日・月・年度）が変わると、また受け取れます。ポイントは付与されていません。',
      en: 'You can earn again when the period (day, month or fiscal year) turns. No points were granted.',
    },
  },
  'exchange-cap-reached': {
    titleJa: '本日この提携先から交換できるポイントの上限に達しています',
    action: {
      ja: '明日以降にもう一度交換してください。ポイントは交換されていません。',
      en: 'Convert again tomorrow or later. No points were converted.',
    },
  },
  'premium-cap-reached': {
    titleJa: 'お一人が購入できるプレミアムポイントの上限に達しています',
    action: {
      ja: '「unitsLeft」があれば、その口数以内で購入できます。お支払いは発生していません。',
      en: 'If `unitsLeft` is given, buy at most that many units. Nothing was charged.',
    },
  },
  'premium-budget-exhausted': {
    titleJa: 'プレミアム分の予算がなくなりました',
    action: {
      ja: 'このプレミアムポイントは売り切れです（公費の予算の上限に達しました）。お支払いは発生していません。',
      en: 'These premium points are sold out: the public budget for the premium is used up. Nothing was charged.',
    },
  },
  'reservation-expired': {
    titleJa: 'ポイントの仮押さえの期限が切れました',
    action: {
      ja: '押さえていたポイントは残高に戻りました。注文や支払いを最初からやり直してください。',
      en: 'The points held have returned to the balance. Start the order or payment again.',
    },
  },
  'rate-limited': {
    titleJa: 'リクエストが多すぎます',
    action: {
      ja: 'しばらく待ってから、もう一度お試しください。Retry-After ヘッダーがあれば、その秒数だけ待ってください。',
      en: 'Wait a moment and retry; if there is a Retry-After header, wait that many seconds.',
    },
  },
  internal: {
    titleJa: 'システム側で問題が発生しました',
    action: {
      ja: '時間をおいてもう一度お試しください。続く場合は、表示された instance（要求ID）を添えて問い合わせてください。',
      en: 'Try again later. If it persists, report the instance (request id) shown with the error.',
    },
  },
};
