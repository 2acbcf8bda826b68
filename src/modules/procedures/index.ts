// The procedures module's door (電子申請): the catalogue of procedures and their forms.

export type { CaseUpdate, NotifyResident } from './cases/case-record.ts';
export { type CaseStatus, caseStatuses } from './cases/case-status.ts';
export { caseMigrations } from './cases/migrations.ts';
export {
  type IncomingSubmission,
  receiveSubmission,
  receiveSubmissions,
} from './cases/receive-submission.ts';
export {
  markRegistryChecksRequested,
  type RegistryCheckFields,
  type RegistryCheckOutcome,
  type RegistryCheckResult,
  type RegistryCheckView,
  recordRegistryCheck,
  registryCheckOutcomes,
} from './cases/registry-checks.ts';
export {
  type RegistryCheckRequest,
  registryCheckFor,
  registryQuestion,
} from './cases/request-registry-check.ts';
export { type IncomingCorrection, receiveCorrection, receiveWithdrawal } from './cases/resident-steps.ts';
export {
  assignCase,
  type CaseContext,
  commentOnCase,
  decideCase,
  type MadeNotice,
  type NoticeInput,
  requestCorrection,
  startReview,
} from './cases/staff-steps.ts';
export { PREFILL_SOURCES, type ProcedureDefinition } from './catalogue/definition.ts';
export type { FieldError } from './catalogue/form-validator.ts';
export { loadCatalogue, type Procedure } from './catalogue/load-catalogue.ts';
export { callProvider, createOrFindPayment } from './fees/call-provider.ts';
export { confirmFeePayment, type FeeConfirmRequest } from './fees/confirm-fee-payment.ts';
export { DEFAULT_RETRY, type FeeContext, type RetryPolicy } from './fees/fee-context.ts';
export { type FeeRecord, type FeeWhere, getFee } from './fees/fee-record.ts';
export type { FeeState } from './fees/fee-state.ts';
export { feeMigrations } from './fees/migrations.ts';
export type {
  CapturePaymentRequest,
  CreatePaymentRequest,
  PaymentInstructions,
  PaymentMethod,
  PaymentMethodKind,
  PaymentProvider,
  ProviderEvent,
  ProviderEventType,
  ProviderPayment,
  ProviderPaymentStatus,
  ProviderRefund,
  RefundPaymentRequest,
} from './fees/payment-provider.ts';
export { type ReconcileReport, reconcileFees } from './fees/reconcile-fees.ts';
export { type FeeDue, recordFeeDue } from './fees/record-fee-due.ts';
export { completeFeeRefund, type FeeRefundRequest, refundFee, requestFeeRefund } from './fees/refund-fee.ts';
export { type FeePayment, type FeePaymentRequest, startFeePayment } from './fees/start-fee-payment.ts';
export { syncFeeEvents } from './fees/sync-fee-events.ts';
export { testPaymentProviderMigrations } from './fees/test-provider/migrations.ts';
export {
  type TestPaymentProvider,
  type TestPaymentProviderOptions,
  testPaymentProvider,
} from './fees/test-provider/provider.ts';
export { TEST_AMOUNTS, TEST_CARDS } from './fees/test-provider/scenarios.ts';
export { createNoticeMaker } from './notices/decision-notice.ts';
export type { DispositionNotice } from './notices/notice.ts';
export type { NoticeSigner } from './notices/notice-signer.ts';
export { createNoticeTrust, type NoticeTrust } from './notices/notice-trust.ts';
export { renderNoticePdf } from './notices/render-notice.ts';
export { type SignNoticeOptions, signNoticePdf } from './notices/sign-notice-pdf.ts';
export { headTitleOf, type SignerMunicipality, signerMunicipalityOf } from './notices/signer-municipality.ts';
export {
  type EnsureSignersOptions,
  ensureNoticeSigners,
  loadNoticeSigner,
  loadNoticeTrust,
  noticeKeysDir,
} from './notices/signer-store.ts';
export { type VerifiedNotice, verifyNoticePdf } from './notices/verify-notice-pdf.ts';
export { DRAFT_DAYS, pruneDrafts } from './portal/drafts.ts';
export { portalDraftMigrations } from './portal/migrations.ts';
export { applyPrefill } from './prefill/apply-prefill.ts';
export { prefillMigrations } from './prefill/migrations.ts';
export { type PrefillRoutesOptions, registerPrefillRoutes } from './prefill/prefill-routes.ts';
export {
  PREFILL_INTERVAL_MS,
  PREFILL_TTL_MS,
  type PrefillAnswer,
  type PrefillMember,
  type PrefillPerson,
  type PrefillRequest,
  type PrefillResident,
  type PrefillState,
  prunePrefills,
  readPrefill,
  requestPrefill,
  storePrefillAnswer,
} from './prefill/prefill-store.ts';
export { registerCasePages } from './routes/case-page-routes.ts';
export { registerCaseRoutes } from './routes/case-routes.ts';
export { registerCatalogueRoutes } from './routes/catalogue-routes.ts';
export { registerFeeRoutes } from './routes/fee-routes.ts';
export { type MyFilingHooks, registerMyFilingRoutes } from './routes/my-filing-routes.ts';
export {
  type PortalPageOptions,
  type ReceiveAttachment,
  type ReceivedAttachment,
  registerPortalProcedurePages,
} from './routes/portal-page-routes.ts';
export { registerSettingsRoutes, type SettingsRoutesOptions } from './routes/settings-routes.ts';
export { type Filer, registerSubmissionRoutes } from './routes/submission-routes.ts';
export { registerUsageRoutes } from './routes/usage-routes.ts';
export { settingsMigrations } from './settings/migrations.ts';
export {
  type ProcedureSetting,
  procedureSettings,
  storeProcedureSetting,
} from './settings/settings.ts';
export {
  markCorrectionForwarded,
  markWithdrawalSent,
  type UnsentCorrection,
  type UnsentWithdrawal,
  unsentCorrections,
  unsentWithdrawals,
} from './submissions/forward-changes.ts';
export {
  markSubmissionRefused,
  markSubmissionsForwarded,
  type UnsentSubmission,
  unsentSubmissions,
} from './submissions/forward-submissions.ts';
export { submissionMigrations } from './submissions/migrations.ts';
export {
  type OnRefundDue,
  type ReceivedCaseUpdate,
  receiveCaseUpdate,
} from './submissions/receive-case-update.ts';
export {
  MAX_DOCUMENT_BYTES,
  MAX_SIGNATURE_BYTES,
  type SignedDocument,
} from './submissions/signed-document.ts';
export type { SignatureCheck, SubmissionContext } from './submissions/submission-context.ts';
export { usageMigrations } from './usage/migrations.ts';
export { onlineUsage, setPaperCount, type UsageRow } from './usage/online-usage.ts';
