/**
 * The one list of error codes Machi returns, with the HTTP status each maps to.
 * Every problem+json `type` is `/problems/<code>`, stable across releases:
 * clients may branch on it. README "Errors" documents each row.
 */
export const errorCodes = {
  'validation-failed': { status: 400, title: 'The request is not valid' },
  'lg-code-invalid': { status: 400, title: 'The 地方公共団体コード is not valid' },
  'my-number-invalid': { status: 400, title: 'The My Number is not valid' },
  'resident-code-invalid': { status: 400, title: 'The 住民票コード is not valid' },
  'date-invalid': { status: 400, title: 'The date is not valid' },
  'csv-invalid': { status: 400, title: 'The CSV file cannot be read' },
  'municipality-unknown': { status: 404, title: 'No such municipality' },
  'municipality-not-served': { status: 404, title: 'This deployment does not serve that municipality' },
  'not-found': { status: 404, title: 'Not found' },
  'authentication-required': { status: 401, title: 'Sign-in is required' },
  'credentials-invalid': { status: 401, title: 'The user name, password or one-time code is wrong' },
  'account-locked': { status: 423, title: 'The account is locked after repeated failures' },
  forbidden: { status: 403, title: 'Your role does not allow this' },
  'tenant-forbidden': { status: 403, title: 'That data belongs to another municipality' },
  'csrf-invalid': { status: 403, title: 'The form has expired; reload the page and try again' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'The content type is not supported' },
  'gateway-unauthenticated': { status: 401, title: 'The gateway message is not authenticated' },
  'gateway-route-forbidden': { status: 403, title: 'That zone may not send this message' },
  'gateway-message-invalid': { status: 400, title: 'The gateway message does not match its schema' },
  'gateway-unreachable': { status: 502, title: 'Another zone did not answer through the gateway' },
  'encoding-invalid': { status: 400, title: 'The certificate, signature or request cannot be decoded' },
  'signature-invalid': { status: 401, title: 'The signature does not verify' },
  'document-altered': { status: 422, title: 'The signed document was changed after it was signed' },
  'certificate-untrusted': { status: 401, title: 'The certificate is not from a trusted authority' },
  'certificate-expired': { status: 401, title: 'The certificate has expired' },
  'certificate-not-yet-valid': { status: 401, title: 'The certificate is not valid yet' },
  'certificate-revoked': { status: 401, title: 'The certificate has been revoked' },
  'certificate-wrong-usage': { status: 401, title: 'This certificate is not for this use' },
  'certificate-status-unknown': { status: 503, title: 'The certificate status cannot be checked now' },
  'challenge-invalid': { status: 401, title: 'The sign-in challenge has expired or was already used' },
  'pin-incorrect': { status: 401, title: 'The PIN or password of the card is wrong' },
  'card-locked': { status: 423, title: 'The card is locked after repeated wrong PINs or passwords' },
  'pki-not-ready': { status: 503, title: 'The card authority is not set up' },
  'file-refused': { status: 422, title: 'The file was refused by the sanitizer (無害化)' },
  'payment-declined': { status: 402, title: 'The payment was declined' },
  'payment-unavailable': { status: 503, title: 'The payment service cannot be reached now' },
  'mail-not-configured': { status: 503, title: 'E-mail is not set up in this deployment' },
  'qr-invalid': { status: 400, title: 'The QR code cannot be read as a payment code' },
  'merchant-unknown': { status: 404, title: 'No such merchant accepts points here' },
  'points-insufficient': { status: 409, title: 'The account does not have enough points' },
  'earning-cap-reached': { status: 409, title: 'The most this programme gives one person has been reached' },
  'exchange-cap-reached': {
    status: 409,
    title: "Today's most for converting this partner's points has been reached",
  },
  'not-eligible': { status: 403, title: 'This programme is not for this resident' },
  'premium-cap-reached': {
    status: 409,
    title: 'The most premium points one person may buy has been reached',
  },
  'premium-budget-exhausted': { status: 409, title: 'The public budget for these premium points is used up' },
  'reservation-expired': { status: 409, title: 'The reservation of points has expired' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Something went wrong on our side' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCodes;

export function problemType(code: ErrorCode): string {
  return `/problems/${code}`;
}
