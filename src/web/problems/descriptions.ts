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
