/**
 * The life of a filing's fee (手数料), one row in procedure_fees:
 * - `due`: the filing owes the fee; no payment begun.
 * - `pending`: a payment attempt is under way (card authorised, or コンビニ numbers issued).
 * - `paid`: the money is taken.
 * - `failed`: the last attempt was declined or expired; the resident may pay again.
 * - `refunding`: a refund is decided and being made (its key is fixed).
 * - `refunded`: paid back through the provider.
 * - `refund-manual`: to be paid back by bank transfer (コンビニ / Pay-easy cannot be refunded online).
 * - `cancelled`: nothing was taken and nothing will be (e.g. rejected before payment).
 */
export type FeeState =
  | 'due'
  | 'pending'
  | 'paid'
  | 'failed'
  | 'refunding'
  | 'refunded'
  | 'refund-manual'
  | 'cancelled';
