// The points module's door: the municipal points ledger (自治体ポイント), merchants and QR payments.
export {
  type PointsAdminContext,
  type PointsAdminPublish,
  registerPointsAdminPages,
} from './admin/admin-routes.ts';
export { type InvoicesAdminDb, storeInvoiceAnswer } from './admin/invoices-store.ts';
export { pointsAdminMerchantMigrations } from './admin/merchants-migrations.ts';
export { type PointsMerchantsPublish, registerPointsMerchantPages } from './admin/merchants-routes.ts';
export { pointsAdminMigrations } from './admin/migrations.ts';
export { pointsAdminPartnerMigrations } from './admin/partners-migrations.ts';
export { type PointsPartnersPublish, registerPointsPartnersPages } from './admin/partners-routes.ts';
export { pointsAdminPremiumMigrations } from './admin/premium-migrations.ts';
export { type PointsPremiumPublish, registerPointsPremiumPages } from './admin/premium-routes.ts';
export { pointsAdminSettlementMigrations } from './admin/settlement-migrations.ts';
export { type PointsSettlementPublish, registerPointsSettlementPages } from './admin/settlement-routes.ts';
export {
  type SettlementAdminDb,
  type SettlementAnswerPart,
  storeSettlementAnswer,
} from './admin/settlement-store.ts';
export { type DayFigures, dailyFigures, type PointsFigures } from './dashboard/daily-figures.ts';
export { registerPointsDashboardPages } from './dashboard/dashboard-routes.ts';
export {
  type FiguresDb,
  type StoredFigures,
  storedPointsFigures,
  storePointsFigures,
} from './dashboard/figures-store.ts';
export { pointsDashboardMigrations } from './dashboard/migrations.ts';
export { seedDemoPoints } from './demo-seed.ts';

export { earnPoints, expiryOf, type Grant, periodOf } from './earning/earn-points.ts';
export {
  formatGrantCode,
  type GrantCodeBatch,
  grantCodeDigest,
  issueGrantCodes,
  normalizeGrantCode,
  programmeOfGrantCode,
  redeemGrantCode,
  storeGrantCodeDigests,
} from './earning/grant-codes.ts';
export { earningMigrations } from './earning/migrations.ts';
export {
  type CapPeriod,
  defineProgramme,
  type EarningDb,
  type Programme,
  programmeOf,
} from './earning/programmes.ts';
export {
  type AccountKind,
  accountId,
  accountKinds,
  type Balance,
  balanceOf,
  openAccount,
} from './ledger/accounts.ts';
export { expirePoints } from './ledger/expire-points.ts';
export { type HistoryEntry, historyOf } from './ledger/history.ts';
export { pointsLedgerMigrations } from './ledger/migrations.ts';
export {
  type Actor,
  type LedgerContext,
  postTransfer,
  type Transfer,
  type TransferCode,
  type TransferLeg,
  type TransferRequest,
  transferCodes,
} from './ledger/post-transfer.ts';
export { postTransferBatch } from './ledger/post-transfer-batch.ts';
export { ledgerMatches, type Mismatch, type Reconciliation, reconcileLedger } from './ledger/reconcile.ts';
export { expireReservations, settlePending } from './ledger/settle-pending.ts';
export type { PointsLedgerDb, PointsLedgerTables } from './ledger/tables.ts';
export { type MerchantField, type MerchantProblem, merchantProblems } from './merchants/check-merchant.ts';
export {
  issueMerchantKey,
  type MerchantKeysDb,
  merchantOfToken,
  revokeMerchantKey,
  storeMerchantKey,
} from './merchants/keys.ts';
export {
  type Merchant,
  type MerchantsDb,
  merchantOf,
  merchantQrText,
  type NewMerchant,
  registerMerchant,
} from './merchants/merchants.ts';
export { merchantMigrations } from './merchants/migrations.ts';
export { type MerchantTerms, saveMerchant } from './merchants/save-merchant.ts';
export { type Exchange, exchangePoints, partnerInvoice } from './partners/exchange-points.ts';
export { partnerMigrations } from './partners/migrations.ts';
export { type PartnerInvoice, partnerInvoicesForMonth } from './partners/month-invoices.ts';
export { registerPartnerRevision } from './partners/partner-revision.ts';
export {
  type NewPartner,
  type Partner,
  type PartnersDb,
  partnerOf,
  registerPartner,
} from './partners/partners.ts';
export { partnerSigningInput, SIGNATURE_SKEW_MS, verifyPartnerRequest } from './partners/signed-request.ts';
export { merchantDay, type ReceivedPayment } from './payments/merchant-payments.ts';
export { paymentCodeMigrations } from './payments/migrations.ts';
export {
  type ChargeReceipt,
  type CodeCharge,
  formatPaymentCode,
  issuePaymentCode,
  PAYMENT_CODE_SECONDS,
  type PaymentCode,
  payByCode,
} from './payments/one-time-codes.ts';
export {
  MAX_PAYMENT,
  type PaymentReceipt,
  payByQr,
  paymentRefOf,
  type QrPayment,
} from './payments/pay-by-qr.ts';
export { readMerchantCode, type ScannedCode } from './payments/read-code.ts';
export { refundPayment } from './payments/refund-payment.ts';
export { buyPremiumPoints } from './premium/buy-premium-points.ts';
export { premiumMigrations } from './premium/migrations.ts';
export {
  definePremiumOffer,
  fundPremiumBudget,
  type PremiumDb,
  type PremiumOffer,
  premiumBudgetOf,
  premiumOfferOf,
} from './premium/offers.ts';
export { type OfferForResident, premiumOffersFor } from './premium/offers-for-resident.ts';
export type { PremiumContext } from './premium/premium-context.ts';
export type { PremiumPurchase, PurchaseState } from './premium/purchases.ts';
export {
  PREMIUM_HOLD_SECONDS,
  type PremiumPurchaseRequest,
} from './premium/reserve-purchase.ts';
export { type OfferFunding, savePremiumOffer } from './premium/save-offer.ts';
export {
  PREMIUM_SETTLE_AFTER_MS,
  type PremiumSettlementReport,
  settlePremiumPurchases,
} from './premium/settle-premium-purchases.ts';
export { encodeMerchantQr, type MerchantQr, parseMerchantQr, qrCrc } from './qr/emv-qr.ts';
export { qrSvg } from './qr/qr-svg.ts';
export { ChargeBody, ChargeReceiptSchema, registerPointsCodeRoutes } from './routes/code-routes.ts';
export { CodeBody, DayQuery, RefundBody, registerPointsMerchantRoutes } from './routes/merchant-routes.ts';
export type { RegistryBirthDate } from './routes/page-support.ts';
export { ExchangeBody, registerPointsPartnerRoutes } from './routes/partner-routes.ts';
export { registerPointsPages } from './routes/points-pages.ts';
export {
  type PointsPremiumContext,
  PremiumPurchaseBody,
  registerPointsPremiumRoutes,
} from './routes/premium-routes.ts';
export {
  type PointsResident,
  type PointsRoutesContext,
  registerPointsResidentRoutes,
} from './routes/resident-routes.ts';
export { setSettlementAccountRevision } from './settlement/account-revision.ts';
export { settlementMigrations } from './settlement/migrations.ts';
export {
  type Settlement,
  type SettlementAccount,
  type SettlementDb,
  setSettlementAccount,
  settleMerchants,
} from './settlement/settle-merchants.ts';
export {
  type SettlementData,
  type SettlementDataLine,
  settlementData,
  settlementFiles,
} from './settlement/settlement-data.ts';
export { type SettlementLine, settlementReportCsv } from './settlement/settlement-report.ts';
export {
  ZENGIN_RECORD_BYTES,
  type ZenginRequester,
  type ZenginTransfer,
  zenginFile,
  zenginRecords,
} from './settlement/zengin.ts';
export { readZenginFile, type ZenginContent } from './settlement/zengin-read.ts';
export { ordersOf, ordersToShip, type PlacedOrder, type Product, productsOf } from './shop/catalogue.ts';
export { donate } from './shop/donate.ts';
export { shopMigrations } from './shop/migrations.ts';
export {
  addProduct,
  endOrder,
  expireOrders,
  type NewProduct,
  ORDER_HOLD_SECONDS,
  type Order,
  type OrderRequest,
  placeOrder,
  type ShopDb,
} from './shop/orders.ts';
