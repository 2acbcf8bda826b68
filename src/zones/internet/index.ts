import { jpkiStatusMigrations, residentSignInMigrations } from '../../modules/jpki/index.ts';
import { mailMigrations } from '../../modules/mail/index.ts';
import { mykeyMigrations } from '../../modules/mykey/index.ts';
import {
  earningMigrations,
  merchantMigrations,
  partnerMigrations,
  paymentCodeMigrations,
  pointsLedgerMigrations,
  premiumMigrations,
  seedDemoPoints,
  settlementMigrations,
  shopMigrations,
} from '../../modules/points/index.ts';
import {
  feeMigrations,
  portalDraftMigrations,
  prefillMigrations,
  settingsMigrations,
  submissionMigrations,
  testPaymentProviderMigrations,
} from '../../modules/procedures/index.ts';
import { uploadMigrations } from '../../modules/sanitize/index.ts';
import { registerWeb } from '../../web/index.ts';
import { gatewayInboxMigrations } from '../gateway/index.ts';
import type { ZoneDefinition } from '../zone-definition.ts';
import { wireJpkiRelyingParty } from './jpki.ts';
import { wireMail } from './mail.ts';
import { wireMyKey } from './mykey.ts';
import { registerOpenApi } from './openapi.ts';
import { wirePoints } from './points.ts';
import { wireProcedureSettings } from './procedure-settings.ts';
import { wireProcedures } from './procedures.ts';
import { wireRegistryPrefill } from './registry-prefill.ts';
import { wireUploads } from './uploads.ts';

/** The internet zone: which modules' tables and routes it holds. */
export const internetZone: ZoneDefinition = {
  name: 'internet',
  migrations: [
    gatewayInboxMigrations,
    jpkiStatusMigrations,
    residentSignInMigrations,
    uploadMigrations,
    submissionMigrations,
    feeMigrations,
    testPaymentProviderMigrations,
    settingsMigrations,
    mailMigrations,
    portalDraftMigrations,
    prefillMigrations,
    mykeyMigrations,
    pointsLedgerMigrations,
    merchantMigrations,
    earningMigrations,
    settlementMigrations,
    partnerMigrations,
    shopMigrations,
    premiumMigrations,
    paymentCodeMigrations,
  ],
  async register(app, context, gateway) {
    registerWeb(app, context);
    // Resident sign-in with the card, the OCSP responder and CRLs (status pulled from lgwan).
    const party = await wireJpkiRelyingParty(app, context, gateway);
    // Residents' files, sanitized (無害化) as they arrive.
    const uploads = wireUploads(app, context, gateway);
    // What can be filed online (電子申請), and filing it.
    // Notices by e-mail (SMTP), for residents who confirmed an address.
    const mail = wireMail(app, context, gateway);
    wireProcedures(app, context, gateway, party, mail, uploads);
    // Forms pre-filled from the registry (ワンスオンリー), asked through lgwan of mynumber.
    wireRegistryPrefill(app, context, gateway);
    wireProcedureSettings(context, gateway);
    // Municipal points (自治体ポイント): MyKey ID, balance, QR payments; the ledger's jobs.
    wirePoints(app, context, gateway);
    // Facility cards on the My Number card, and facilities' card readers.
    wireMyKey(app, context, party);
    // OpenAPI for the partner, merchant and terminal APIs.
    registerOpenApi(app);
  },
  async seedDemo(context) {
    // A shop, earning programmes and a settlement account in each municipality, to try points.
    await seedDemoPoints(context);
  },
};
