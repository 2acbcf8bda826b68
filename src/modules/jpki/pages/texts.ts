import type { Text } from '../../../core/index.ts';

export const portalZone: Text = { ja: 'インターネット接続系', en: 'Internet zone' };
export const counterZone: Text = { ja: '個人番号利用事務系', en: 'My Number zone' };

/** What the browser card's script says, handed to it in data-* attributes (no inline script: CSP). */
export const cardMessages = {
  pinShape: { ja: '暗証番号は数字4桁です。', en: 'The PIN is 4 digits.' },
  passwordShape: {
    ja: '署名用パスワードは英大文字（A～Z）と数字で6～16文字です。',
    en: 'The signing password is 6 to 16 upper-case letters (A–Z) and digits.',
  },
  working: { ja: '鍵を作成しています。しばらくお待ちください。', en: 'Making the keys. Please wait.' },
  failed: {
    ja: '処理できませんでした。もう一度お試しください。',
    en: 'That did not work. Please try again.',
  },
  expired: {
    ja: '申請の有効期限が切れました。もう一度申請してください。',
    en: 'The request has expired. Please request again.',
  },
  noCard: {
    ja: 'このブラウザにはカードがありません。先にカードの準備をしてください。',
    en: 'This browser holds no card yet. Set one up first.',
  },
  pinIncorrect: {
    ja: '暗証番号が違います。あと{n}回間違えるとロックされます。',
    en: 'Wrong PIN. {n} more wrong tries lock the card.',
  },
  cardLocked: {
    ja: '暗証番号を3回続けて間違えたため、カードがロックされました。窓口で初期化してください。',
    en: 'Three wrong PINs in a row locked the card. Ask the counter to reset it.',
  },
  problemCertificateRevoked: {
    ja: 'このカードの電子証明書は失効しています。サインインできません。市区町村の窓口にご相談ください。',
    en: "This card's certificate has been revoked, so it cannot sign in. Please ask your municipality's counter.",
  },
  problemCertificateExpired: {
    ja: '電子証明書の有効期限が切れています。窓口で更新してください。',
    en: 'The certificate has expired. Renew it at the counter.',
  },
  problemCertificateStatusUnknown: {
    ja: '電子証明書の状態を確認できませんでした。少し待ってからもう一度お試しください。',
    en: 'The certificate status could not be checked. Wait a moment and try again.',
  },
  problemChallengeInvalid: {
    ja: '有効時間が過ぎました。もう一度お試しください。',
    en: 'The sign-in took too long. Please try again.',
  },
} satisfies Record<string, Text>;

/** What browser-sign.js says on a procedure's signing form (data-* attributes, as above). */
export const signMessages = {
  passwordShape: cardMessages.passwordShape,
  noCard: cardMessages.noCard,
  failed: cardMessages.failed,
  signing: { ja: '署名しています。しばらくお待ちください。', en: 'Signing. Please wait.' },
  noSigningCertificate: {
    ja: 'このブラウザのカードには署名用電子証明書がありません。窓口で交付を受けてから署名してください。',
    en: 'The card in this browser has no signing certificate yet. Have it issued at the counter first.',
  },
  passwordIncorrect: {
    ja: '署名用パスワードが違います。あと{n}回間違えるとロックされます。',
    en: 'Wrong signing password. {n} more wrong tries lock the signing certificate.',
  },
  signingLocked: {
    ja: '署名用パスワードを5回続けて間違えたため、署名用電子証明書がロックされました。市区町村の窓口で初期化してください。',
    en: "Five wrong signing passwords in a row locked the signing certificate. Ask your municipality's counter to reset it.",
  },
} satisfies Record<string, Text>;
