// The My Number card's PKI (公的個人認証, JPKI): the module's one door. The mynumber zone
// issues and revokes (the CA keys live there); the internet zone answers OCSP, serves
// the CRLs and signs residents in; anyone verifies document signatures.

export { fileCardStorage, memoryCardStorage } from './card/card-storage.ts';
export { checkSecretShape, secretRules } from './card/secrets.ts';
export { manufactureCard, VirtualCard } from './card/virtual-card.ts';
export {
  issueFromCardRequest,
  markCardRequestDelivered,
  storeReceivedCardRequest,
  undeliveredCardRequests,
} from './card-requests/counter-request.ts';
export {
  cardRequestState,
  createCardRequest,
  markCardRequestSent,
  pruneCardRequests,
  storeCardDelivery,
  unsentCardRequests,
} from './card-requests/online-request.ts';
export { type DocumentSigner, signDetached, verifyDetached } from './cms/index.ts';
export { endCardsOfDeparted } from './issuance/end-departed.ts';
export { type IssueCardInput, type IssuedCard, issueCard } from './issuance/issue-card.ts';
export {
  type CardEndReason,
  cardEndReasons,
  type IssuerContext,
  isCardEndReason,
} from './issuance/issuer-context.ts';
export { jpkiIssuerMigrations } from './issuance/migrations.ts';
export {
  type CertificateStatusRecord,
  markCrlPublished,
  markStatusPublished,
  unpublishedCrls,
  unpublishedStatuses,
} from './issuance/publish.ts';
export { currentCrl, refreshCrls } from './issuance/refresh-crls.ts';
export { renewCard } from './issuance/renew-card.ts';
export { revokeCard } from './issuance/revoke-card.ts';
export { personOfSubject } from './issuance/subject-person.ts';
export type { JpkiIssuerDb } from './issuance/tables.ts';
export { cardSignFormAttributes, cardSignScript } from './pages/portal-pages.ts';
export type { CertificateKind, StatusLocations } from './pki/authority.ts';
export { type BasicFour, readBasicFour } from './pki/basic-four.ts';
export {
  exportPrivateKey,
  generateRsaKeyPair,
  importPrivateKey,
  RSA_SHA256,
  randomSerial,
  x509,
} from './pki/crypto.ts';
export { decodeCertificate, derFrom, toPem } from './pki/encoding.ts';
export { type Lazy, registerJpkiIssuer, registerJpkiRelyingParty } from './register.ts';
export { type RelyingParty, requireResident } from './routes/relying-routes.ts';
export {
  ensurePki,
  initPki,
  loadIssuer,
  loadRelyingParty,
  loadTrustStore,
  locationsOf,
  pkiReady,
} from './runtime.ts';
export { CHALLENGE_TTL_MS, pruneUsedChallenges, signInMessage } from './sign-in/challenge.ts';
export { type CardHolder, cardReadChallenge, identifyCardHolder } from './sign-in/identify-holder.ts';
export { residentSignInMigrations } from './sign-in/migrations.ts';
export { RESIDENT_COOKIE, type ResidentPrincipal } from './sign-in/resident-sessions.ts';
export type { ResidentSignInDb } from './sign-in/tables.ts';
export { jpkiStatusMigrations } from './status/migrations.ts';
export { storeCrl, storeStatus } from './status/status-store.ts';
export type { JpkiStatusDb } from './status/tables.ts';
export { createRevocationChecker, STATUS_CACHE_MS } from './verify/revocation.ts';
export { type SignatureReport, verifyDocumentSignature } from './verify/verify-signature.ts';
