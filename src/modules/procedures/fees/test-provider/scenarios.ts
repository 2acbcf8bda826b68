import type { CreatePaymentRequest } from '../payment-provider.ts';

/**
 * How the test provider treats a payment, chosen like a gateway's sandbox does: by the test card
 * number (the test provider's card token is the number itself — no real card is ever involved)
 * or, for any method, by a special amount.
 * - `approve`: authorised / numbers issued, as usual.
 * - `decline:<code>`: declined at creation, with that code.
 * - `fail-once`: each call (create, capture, refund) first fails with `payment-unavailable`
 *   before acting, then works when asked again with the same key.
 * - `lose-answer-once`: each call acts, then fails with `payment-unavailable` as if the answer
 *   were lost on the way (a timeout): only asking again with the same key tells what happened.
 * - `slow`: each call waits `slowMs` before acting.
 */
export type Scenario = 'approve' | `decline:${string}` | 'fail-once' | 'lose-answer-once' | 'slow';

/** Test card numbers (Luhn-valid, the usual sandbox numbers). Any other valid number is approved. */
export const TEST_CARDS = {
  approved: '4242424242424242',
  approvedMastercard: '5555555555554444',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  expired: '4000000000000069',
  failOnce: '4000000000000119',
  loseAnswerOnce: '4000000000000259',
  slow: '4000000000000341',
} as const;

/** Amounts (yen) that trigger a scenario whatever the method: for コンビニ and Pay-easy, which have no card. */
export const TEST_AMOUNTS = {
  declined: 9_001,
  failOnce: 9_002,
  loseAnswerOnce: 9_003,
  slow: 9_004,
} as const;

const BY_CARD: Record<string, Scenario> = {
  [TEST_CARDS.declined]: 'decline:card_declined',
  [TEST_CARDS.insufficientFunds]: 'decline:insufficient_funds',
  [TEST_CARDS.expired]: 'decline:expired_card',
  [TEST_CARDS.failOnce]: 'fail-once',
  [TEST_CARDS.loseAnswerOnce]: 'lose-answer-once',
  [TEST_CARDS.slow]: 'slow',
};

const BY_AMOUNT: Record<number, Scenario> = {
  [TEST_AMOUNTS.declined]: 'decline:card_declined',
  [TEST_AMOUNTS.failOnce]: 'fail-once',
  [TEST_AMOUNTS.loseAnswerOnce]: 'lose-answer-once',
  [TEST_AMOUNTS.slow]: 'slow',
};

/** ISO/IEC 7812 check digit (Luhn), as every card number carries. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

export function scenarioOf(request: CreatePaymentRequest): Scenario {
  const byAmount = BY_AMOUNT[request.amountYen];
  if (byAmount) return byAmount;
  if (request.method.kind !== 'card') return 'approve';
  const number = request.method.token;
  if (!/^\d{14,16}$/.test(number) || !luhnValid(number)) return 'decline:invalid_number';
  return BY_CARD[number] ?? 'approve';
}
