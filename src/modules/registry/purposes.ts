import { MachiError } from '../../core/index.ts';

/**
 * Why a staff member opens a resident's record. Each view of a 住民票 is audited with
 * one of these codes (住民基本台帳法第30条の38 forbids use outside the stated purposes;
 * the log lets the 個人情報保護 officer check). A fixed list, so the log is comparable.
 */
export const purposes = {
  certificate: { ja: '証明書交付', en: 'Issuing a certificate' },
  'notification-review': { ja: '届出審査', en: 'Reviewing a notification' },
  tax: { ja: '税務', en: 'Taxation' },
  welfare: { ja: '福祉', en: 'Welfare' },
  other: { ja: 'その他', en: 'Other' },
} as const;

export type Purpose = keyof typeof purposes;
export const purposeCodes = Object.keys(purposes) as Purpose[];

export function isPurpose(value: unknown): value is Purpose {
  return typeof value === 'string' && Object.hasOwn(purposes, value);
}

export function parsePurpose(value: unknown): Purpose {
  if (isPurpose(value)) return value;
  throw new MachiError('validation-failed', `purpose must be one of: ${purposeCodes.join(', ')}.`, {
    field: 'purpose',
  });
}
