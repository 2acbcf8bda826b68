// Staff of one municipality cannot read or change another's data through any route.
// The test walks every route each zone registered: a route nobody classified below fails
// the test, so a new route is checked from the day it is added.
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLgCode, registeredRoutes, tenantScope } from '../../src/core/index.ts';
import { type Role, roles } from '../../src/modules/identity/index.ts';
import {
  type JpkiIssuerDb,
  manufactureCard,
  storeReceivedCardRequest,
} from '../../src/modules/jpki/index.ts';
import { loadCatalogue, receiveSubmission } from '../../src/modules/procedures/index.ts';
import { storePopulationSnapshot } from '../../src/modules/statistics/index.ts';
import {
  internetZone,
  lgwanZone,
  mynumberZone,
  type RunningZone,
  type ZoneDefinition,
} from '../../src/zones/index.ts';
import { createTestPki } from '../support/pki.ts';
import { myNumberOf, residentCodeOf } from '../support/registry-ids.ts';
import { createTestStaff, type SignedInStaff, signedInStaff, signInStaff } from '../support/staff.ts';
import { openTestZone } from '../support/zone.ts';

const OWN = '131016'; // 千代田区: the staff member who tries
const OTHER = '011002'; // 札幌市: whose data must stay out of reach
const OWN_RESIDENT = residentCodeOf(11);
const OTHER_RESIDENT = residentCodeOf(22);
/** Text that appears only in the other municipality's data: it must never be in an answer. */
// (Not its kana: the search pages echo the kana searched for.)
const OTHER_MARKERS = [OTHER_RESIDENT, myNumberOf(22), '北野', '北一条西二丁目'];

interface Target {
  readonly lgCode: string;
  readonly residentCode: string;
}
interface Sent {
  readonly url: string;
  readonly payload?: Record<string, unknown>;
}

/**
 * How a route is reached. `tenant`: the municipality is in the path; asked for the other
 * one it answers 403, asked for the other's record under its own code 404. `session`: the
 * municipality is the signed-in staff member's own; the other's record is a 404.
 * `sign-in` and `gateway` are checked on their own terms; `public` carries no tenant data.
 * `resident`: a resident's own session, never staff's (test/jpki). `terminal`: a shop's
 * terminal key, which names its merchant and municipality (test/points). `protocol`: speaks a
 * protocol of its own (OCSP), tested with it.
 */
type RouteCase =
  | { readonly kind: 'tenant'; readonly ownStatus: number; readonly send: (target: Target) => Sent }
  | { readonly kind: 'session'; readonly ownStatus: number; readonly send: (target: Target) => Sent }
  | {
      readonly kind: 'sign-in' | 'sign-out' | 'gateway' | 'public' | 'resident' | 'terminal' | 'protocol';
      readonly send?: undefined;
    };

const base = (target: Target) => `/api/v1/municipalities/${target.lgCode}`;
const person = (code: number, family: string, familyKana: string) => ({
  residentCode: residentCodeOf(code),
  myNumber: myNumberOf(code),
  familyName: family,
  givenName: '一郎',
  familyNameKana: familyKana,
  givenNameKana: 'いちろう',
  sex: 1,
  birthDate: '1980-05-05',
});

let eventSerial = 100;
/** Filled in beforeAll: card requests (async to make), and a card per resident to revoke. */
const cardRequests = { auth: '', signing: '' };
const cardOf: Record<string, string> = {};
/** Browser-card requests waiting at the counter of the municipality that tries (one per issuing route). */
const pendingCodes = { api: 'APIC2345', page: 'PAGE2345' };
/**
 * lgwan's cases, filed in beforeAll for both municipalities (keyed by their resident): one
 * to read and annotate, and one per route that moves a case on, API and page alike.
 */
const caseUses = [
  'open',
  'review',
  'correct',
  'decide',
  'review-page',
  'correct-page',
  'decide-page',
] as const;
const caseOf: Record<string, Partial<Record<(typeof caseUses)[number], string>>> = {};
/** An attachment of each municipality's `open` case that has arrived (sanitized) in lgwan. */
const uploadOf: Record<string, string> = {};
const receipt = (target: Target, use: (typeof caseUses)[number]) =>
  caseOf[target.residentCode]?.[use] ?? `${target.lgCode}-20250101-AAAAAA`;
const caseBase = (target: Target, use: (typeof caseUses)[number]) =>
  `${base(target)}/cases/${receipt(target, use)}`;
const correction = { message: '氏名を確認してください。', fields: ['claimant'] };
const ANY_ROUTE_SHOP = 'any-route-shop';
const ANY_ROUTE_KEY = 'mk_AnyRouteAnyRoute';
const anyRouteShop = {
  merchantId: ANY_ROUTE_SHOP,
  name: '南田商店',
  nameLatin: 'MINAMIDA',
  cityLatin: 'CHIYODA-KU',
  categoryCode: '5411',
  feePercent: '1.0',
};
const rejection = { outcome: 'rejected', reasons: '受給資格がありません。' };
const ANY_ROUTE_MONTH = '2026-01';
const ANY_ROUTE_RUN = 'any-route';
const anyRoutePartnerKey = generateKeyPairSync('ed25519')
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();
const anyRouteAccount = {
  requesterCode: '1234567890',
  requesterName: 'ﾁﾖﾀﾞｸ',
  bankCode: '0001',
  bankName: 'ﾐｽﾞﾎ',
  branchCode: '001',
  branchName: 'ﾄｳｷﾖｳ',
  accountNumber: '1234567',
};
const cases: Record<string, RouteCase> = {
  'GET /healthz': { kind: 'public' },
  'GET /': { kind: 'public' },
  'GET /assets/machi.css': { kind: 'public' },
  'GET /problems': { kind: 'public' },
  'GET /problems/:code': { kind: 'public' },
  'GET /staff/sign-in': { kind: 'public' },
  'POST /staff/sign-in': { kind: 'sign-in' },
  'POST /staff/sign-out': { kind: 'sign-out' },
  'POST /gateway/v1/messages': { kind: 'gateway' },
  'POST /gateway/v1/messages/batch': { kind: 'gateway' },
  'POST /gateway/v1/outbox/pull': { kind: 'gateway' },
  'POST /gateway/v1/outbox/ack': { kind: 'gateway' },
  'GET /api/v1/staff/me': { kind: 'session', ownStatus: 200, send: () => ({ url: '/api/v1/staff/me' }) },
  'GET /api/v1/municipalities/:lgCode/staff': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({ url: `${base(target)}/staff` }),
  },
  'POST /api/v1/municipalities/:lgCode/staff': {
    kind: 'tenant',
    ownStatus: 201,
    send: (target) => ({
      url: `${base(target)}/staff`,
      payload: { userName: `intruder-${eventSerial++}`, displayName: '侵入 者', roles: ['admin'] },
    }),
  },
  'GET /api/v1/municipalities/:lgCode/procedure-settings': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({ url: `${base(target)}/procedure-settings` }),
  },
  'PUT /api/v1/municipalities/:lgCode/procedure-settings/:procedureId': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({
      url: `${base(target)}/procedure-settings/disaster-damage-certificate`,
      payload: { enabled: true, note: { ja: '窓口でも受け付けます。', en: 'Also at the counter.' } },
    }),
  },
  'GET /api/v1/municipalities/:lgCode/statistics/procedures': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({ url: `${base(target)}/statistics/procedures?fiscalYear=2025` }),
  },
  'GET /api/v1/municipalities/:lgCode/statistics/procedures.csv': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({ url: `${base(target)}/statistics/procedures.csv?fiscalYear=2025` }),
  },
  'PUT /api/v1/municipalities/:lgCode/statistics/procedures/:procedureId/paper': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({
      url: `${base(target)}/statistics/procedures/disaster-damage-certificate/paper`,
      payload: { fiscalYear: 2025, filings: 3 },
    }),
  },
  // The page and its form act for the signed-in staff member's own municipality only.
  'GET /statistics/procedures': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({ url: '/statistics/procedures?fiscalYear=2025' }),
  },
  'POST /statistics/procedures/paper': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({
      url: '/statistics/procedures/paper',
      payload: { procedureId: 'disaster-damage-certificate', fiscalYear: 2025, filings: 4 },
    }),
  },
  'GET /api/v1/municipalities/:lgCode/statistics/population': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({ url: `${base(target)}/statistics/population` }),
  },
  'POST /api/v1/municipalities/:lgCode/statistics/population/refresh': {
    kind: 'tenant',
    ownStatus: 202,
    send: (target) => ({ url: `${base(target)}/statistics/population/refresh`, payload: {} }),
  },
  'GET /api/v1/municipalities/:lgCode/residents': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({ url: `${base(target)}/residents?kana=${encodeURIComponent('きたの')}` }),
  },
  'GET /api/v1/municipalities/:lgCode/residences': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({
      url: `${base(target)}/residences?on=2025-01-01&address=${encodeURIComponent('北一条西二丁目')}`,
    }),
  },
  'GET /api/v1/municipalities/:lgCode/residents/:residentCode': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({ url: `${base(target)}/residents/${target.residentCode}?purpose=certificate` }),
  },
  'GET /api/v1/municipalities/:lgCode/residents/:residentCode/history': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({
      url: `${base(target)}/residents/${target.residentCode}/history?purpose=certificate`,
    }),
  },
  'GET /api/v1/municipalities/:lgCode/residents/:residentCode/residence': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({
      url: `${base(target)}/residents/${target.residentCode}/residence?on=2025-01-01&purpose=certificate`,
    }),
  },
  'POST /api/v1/municipalities/:lgCode/residents/events': {
    kind: 'tenant',
    ownStatus: 201,
    // Moves the addressed resident within the town: a change to an existing record.
    send: (target) => ({
      url: `${base(target)}/residents/events`,
      payload: {
        kind: 'move-within',
        residentCode: target.residentCode,
        effectiveOn: `2025-02-${String((eventSerial++ % 27) + 1).padStart(2, '0')}`,
        address: '北一条西三丁目',
        household: { kind: 'keep' },
      },
    }),
  },
  'POST /api/v1/municipalities/:lgCode/cards': {
    kind: 'tenant',
    ownStatus: 201,
    send: (target) => ({
      url: `${base(target)}/cards`,
      payload: { residentCode: target.residentCode, requests: cardRequests },
    }),
  },
  'POST /api/v1/municipalities/:lgCode/cards/:cardId/renew': {
    kind: 'tenant',
    ownStatus: 201,
    send: (target) => ({
      url: `${base(target)}/cards/${cardOf[target.residentCode] ?? '00000000-0000-4000-8000-000000000000'}/renew`,
      payload: { residentCode: target.residentCode, requests: cardRequests },
    }),
  },
  'GET /api/v1/municipalities/:lgCode/residents/:residentCode/cards': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({ url: `${base(target)}/residents/${target.residentCode}/cards` }),
  },
  'POST /api/v1/municipalities/:lgCode/cards/:cardId/revoke': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({
      url: `${base(target)}/cards/${cardOf[target.residentCode] ?? '00000000-0000-4000-8000-000000000000'}/revoke`,
      payload: { reason: 'requested' },
    }),
  },
  'POST /jpki/ocsp': { kind: 'protocol' },
  'GET /jpki/ocsp/*': { kind: 'protocol' },
  'GET /jpki/crl/:file': { kind: 'public' },
  'POST /api/v1/jpki/challenges': { kind: 'public' },
  'POST /api/v1/jpki/sign-in': { kind: 'sign-in' },
  'POST /api/v1/jpki/sign-out': { kind: 'resident' },
  'GET /api/v1/jpki/me': { kind: 'resident' },
  // A resident's own uploads: the uploader and their municipality come from the session (test/sanitize).
  'POST /api/v1/uploads': { kind: 'resident' },
  // Municipal points: the signed-in resident's own MyKey ID, balance and payments (test/points).
  'POST /api/v1/points/mykey': { kind: 'resident' },
  'GET /api/v1/points/me': { kind: 'resident' },
  'POST /api/v1/points/payments': { kind: 'resident' },
  'POST /api/v1/points/codes': { kind: 'resident' },
  'GET /api/v1/points/premium/offers': { kind: 'resident' },
  'POST /api/v1/points/premium/purchases': { kind: 'resident' },
  'POST /api/v1/points/merchant/codes': { kind: 'terminal' },
  'GET /api/v1/points/merchant/day': { kind: 'terminal' },
  'POST /api/v1/points/merchant/refunds': { kind: 'terminal' },
  'POST /api/v1/points/merchant/charges': { kind: 'terminal' },
  // The points pages: the resident's own (test/points/pages), and a shop tablet's, whose
  // cookie holds its terminal key (sign-in checks the key; the rest act for its merchant only).
  'GET /points': { kind: 'resident' },
  'POST /points/mykey': { kind: 'resident' },
  'POST /points/codes': { kind: 'resident' },
  'GET /points/history': { kind: 'resident' },
  'GET /points/pay': { kind: 'resident' },
  'POST /points/pay/check': { kind: 'resident' },
  'POST /points/pay': { kind: 'resident' },
  'GET /points/code': { kind: 'resident' },
  'POST /points/code': { kind: 'resident' },
  'GET /points/shop': { kind: 'resident' },
  'POST /points/shop/orders': { kind: 'resident' },
  'POST /points/shop/orders/:ref/cancel': { kind: 'resident' },
  'POST /points/donations': { kind: 'resident' },
  'GET /points/premium': { kind: 'resident' },
  'POST /points/premium': { kind: 'resident' },
  'GET /assets/points/jsqr.js': { kind: 'public' },
  'GET /assets/points/scan.js': { kind: 'public' },
  'GET /merchant': { kind: 'terminal' },
  'POST /merchant/sign-in': { kind: 'terminal' },
  'POST /merchant/sign-out': { kind: 'terminal' },
  'POST /merchant/refunds': { kind: 'terminal' },
  'POST /merchant/charges': { kind: 'terminal' },
  'POST /merchant/orders/:ref/confirm': { kind: 'terminal' },
  // The OpenAPI document of the machine-to-machine APIs: the same for everyone.
  'GET /api/v1/openapi.json': { kind: 'public' },
  // Facility cards: the resident's own, and a facility reader's key (test/points/facility-cards).
  'POST /api/v1/mykey/facility-cards': { kind: 'resident' },
  'GET /api/v1/mykey/facility-cards': { kind: 'resident' },
  'POST /api/v1/mykey/reader/challenges': { kind: 'terminal' },
  'POST /api/v1/mykey/reader/members': { kind: 'terminal' },
  // A partner's call is signed by its key, registered with one municipality (test/points).
  'POST /api/v1/municipalities/:lgCode/points/partners/:partnerId/exchanges': { kind: 'protocol' },
  // The procedure catalogue: the same for everyone, no tenant data.
  'GET /api/v1/procedures': { kind: 'public' },
  'GET /api/v1/procedures/:procedureId': { kind: 'public' },
  // Filings: the resident and their municipality come from the session (test/procedures).
  'POST /api/v1/procedures/:procedureId/submissions': { kind: 'resident' },
  'GET /api/v1/submissions/:submissionId': { kind: 'resident' },
  'GET /api/v1/submissions': { kind: 'resident' },
  'POST /api/v1/submissions/:submissionId/corrections': { kind: 'resident' },
  'POST /api/v1/submissions/:submissionId/withdrawal': { kind: 'resident' },
  'GET /api/v1/submissions/:submissionId/fee': { kind: 'resident' },
  'POST /api/v1/submissions/:submissionId/fee/payment': { kind: 'resident' },
  'POST /api/v1/submissions/:submissionId/fee/confirmation': { kind: 'resident' },
  'GET /api/v1/inbox': { kind: 'resident' },
  // The resident's own address for notices by e-mail (test/procedures/mail.test.ts).
  'GET /api/v1/me/mail-address': { kind: 'resident' },
  'PUT /api/v1/me/mail-address': { kind: 'resident' },
  'DELETE /api/v1/me/mail-address': { kind: 'resident' },
  // The resident's own registry facts for pre-filling forms: whom to ask about is the session's
  // subject id and municipality, never a parameter (test/procedures/prefill.test.ts).
  'POST /api/v1/me/prefill': { kind: 'resident' },
  'GET /api/v1/me/prefill': { kind: 'resident' },
  // The confirmation link: the one-time token is the credential; it shows no data.
  'GET /mail/confirm': { kind: 'protocol' },
  'GET /api/v1/notices/:noticeId': { kind: 'resident' },
  'GET /api/v1/uploads/:uploadId': { kind: 'resident' },
  'POST /api/v1/jpki/signatures/verify': { kind: 'protocol' },
  'POST /api/v1/jpki/card-requests': { kind: 'protocol' },
  'GET /api/v1/jpki/card-requests/:requestId': { kind: 'protocol' },
  'GET /assets/jpki/browser-card.js': { kind: 'public' },
  'GET /assets/jpki/browser-sign.js': { kind: 'public' },
  'GET /assets/jpki/card-core.js': { kind: 'public' },
  'GET /assets/jpki/cms-signed-data.js': { kind: 'public' },
  'GET /assets/jpki/der.js': { kind: 'public' },
  'GET /card': { kind: 'public' },
  'GET /sign-in': { kind: 'public' },
  'GET /me': { kind: 'resident' },
  'POST /sign-out': { kind: 'resident' },
  // The portal's pages for online procedures: the catalogue and its script are the same for
  // everyone; every other page takes the resident and their municipality from the card session
  // (test/procedures/portal-pages.test.ts: another resident's filing is a 404).
  'GET /assets/procedures/prefill.js': { kind: 'public' },
  'GET /assets/procedures/registry-wait.js': { kind: 'public' },
  'GET /procedures': { kind: 'public' },
  'GET /procedures/:procedureId': { kind: 'public' },
  'GET /procedures/:procedureId/apply': { kind: 'resident' },
  'POST /procedures/:procedureId/apply': { kind: 'resident' },
  'GET /procedures/:procedureId/apply/attachments': { kind: 'resident' },
  'POST /procedures/:procedureId/apply/attachments': { kind: 'resident' },
  'POST /procedures/:procedureId/apply/attachments/:attachmentId': { kind: 'resident' },
  'POST /procedures/:procedureId/apply/attachments/:attachmentId/removal': { kind: 'resident' },
  'GET /procedures/:procedureId/apply/confirm': { kind: 'resident' },
  'POST /procedures/:procedureId/apply/confirm': { kind: 'resident' },
  'GET /submissions': { kind: 'resident' },
  'GET /submissions/:submissionId': { kind: 'resident' },
  'POST /submissions/:submissionId/withdrawal': { kind: 'resident' },
  'POST /submissions/:submissionId/correction': { kind: 'resident' },
  'GET /submissions/:submissionId/fee': { kind: 'resident' },
  'POST /submissions/:submissionId/fee': { kind: 'resident' },
  'POST /submissions/:submissionId/fee/confirmation': { kind: 'resident' },
  'GET /inbox': { kind: 'resident' },
  'POST /api/v1/municipalities/:lgCode/card-requests/issue': {
    kind: 'tenant',
    ownStatus: 201,
    send: (target) => ({
      url: `${base(target)}/card-requests/issue`,
      payload: { residentCode: target.residentCode, code: pendingCodes.api },
    }),
  },
  'GET /cards': {
    kind: 'session',
    ownStatus: 200,
    send: (target) => ({ url: `/cards?residentCode=${target.residentCode}` }),
  },
  'POST /cards/issue': {
    kind: 'session',
    ownStatus: 200,
    send: (target) => ({
      url: '/cards/issue',
      payload: { residentCode: target.residentCode, code: pendingCodes.page },
    }),
  },
  'POST /cards/:cardId/revoke': {
    kind: 'session',
    ownStatus: 200,
    send: (target) => ({
      url: `/cards/${cardOf[target.residentCode] ?? '00000000-0000-4000-8000-000000000000'}/revoke`,
      payload: { residentCode: target.residentCode, reason: 'requested' },
    }),
  },
  'GET /registry': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({ url: `/registry?kana=${encodeURIComponent('きたの')}` }),
  },
  'GET /registry/residents/:residentCode': {
    kind: 'session',
    ownStatus: 200,
    send: (target) => ({ url: `/registry/residents/${target.residentCode}?purpose=certificate` }),
  },
  // Online-procedure cases (lgwan): the JSON API names the municipality, the pages take the session's.
  'GET /api/v1/municipalities/:lgCode/cases': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({ url: `${base(target)}/cases` }),
  },
  'GET /api/v1/municipalities/:lgCode/cases.csv': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({ url: `${base(target)}/cases.csv` }),
  },
  'GET /api/v1/municipalities/:lgCode/cases/:receiptNumber': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({ url: caseBase(target, 'open') }),
  },
  'GET /api/v1/municipalities/:lgCode/cases/:receiptNumber/attachments/:uploadId': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({
      url: `${caseBase(target, 'open')}/attachments/${uploadOf[target.residentCode] ?? randomUUID()}`,
    }),
  },
  'POST /api/v1/municipalities/:lgCode/cases/:receiptNumber/assignment': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({ url: `${caseBase(target, 'open')}/assignment`, payload: { staffId: null } }),
  },
  'POST /api/v1/municipalities/:lgCode/cases/:receiptNumber/comments': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({ url: `${caseBase(target, 'open')}/comments`, payload: { text: '確認中' } }),
  },
  'POST /api/v1/municipalities/:lgCode/cases/:receiptNumber/review': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({ url: `${caseBase(target, 'review')}/review`, payload: {} }),
  },
  'POST /api/v1/municipalities/:lgCode/cases/:receiptNumber/correction-request': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({ url: `${caseBase(target, 'correct')}/correction-request`, payload: correction }),
  },
  'POST /api/v1/municipalities/:lgCode/cases/:receiptNumber/decision': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({ url: `${caseBase(target, 'decide')}/decision`, payload: rejection }),
  },
  'GET /cases': { kind: 'session', ownStatus: 200, send: () => ({ url: '/cases?status=all' }) },
  // The points dashboard: the staff member's own municipality's figures (test/points/dashboard).
  'GET /points/admin': { kind: 'session', ownStatus: 200, send: () => ({ url: '/points/admin' }) },
  // Points administration: the staff member's own municipality's programmes and code batches.
  'GET /points/admin/programmes': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({ url: '/points/admin/programmes' }),
  },
  'POST /points/admin/programmes': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({
      url: '/points/admin/programmes',
      payload: {
        programmeId: 'any-route',
        nameJa: '清掃',
        nameEn: 'Clean-up',
        points: '100',
        capPoints: '100',
        capPeriod: 'day',
        active: '1',
      },
    }),
  },
  'POST /points/admin/codes': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({
      url: '/points/admin/codes',
      payload: { programmeId: 'any-route', count: '2', validDays: '1', batchId: `any-route-${Date.now()}` },
    }),
  },
  // Merchants, terminal keys and premium offers: the staff member's own municipality's
  // (test/points/admin-merchants, admin-premium); both municipalities have the merchant and key
  // named here (seedMerchants), so an id alone never reaches the other's.
  'GET /points/admin/merchants': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({ url: '/points/admin/merchants' }),
  },
  'GET /points/admin/merchants/:merchantId': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({ url: `/points/admin/merchants/${ANY_ROUTE_SHOP}` }),
  },
  'POST /points/admin/merchants': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({
      url: '/points/admin/merchants',
      payload: { ...anyRouteShop, mode: 'new', merchantId: `any-route-${Date.now()}` },
    }),
  },
  'POST /points/admin/merchants/:merchantId/keys': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({ url: `/points/admin/merchants/${ANY_ROUTE_SHOP}/keys`, payload: { label: 'レジ2' } }),
  },
  'POST /points/admin/merchants/:merchantId/keys/:keyId/revoke': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({
      url: `/points/admin/merchants/${ANY_ROUTE_SHOP}/keys/${ANY_ROUTE_KEY}/revoke`,
      payload: {},
    }),
  },
  'GET /points/admin/premium': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({ url: '/points/admin/premium' }),
  },
  'POST /points/admin/premium': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({
      url: '/points/admin/premium',
      payload: {
        offerId: 'any-route',
        nameJa: 'プレミアム',
        nameEn: 'Premium',
        priceYen: '1000',
        points: '1100',
        maxUnitsPerPerson: '1',
        active: '1',
        budgetPoints: '100',
      },
    }),
  },
  // Partners, their invoices and merchant settlement: the staff member's own municipality's
  // (test/points/admin-partners, admin-settlement); both municipalities have an invoice month
  // and a settled run under the same ids (seedPartnersAndSettlement), the other's naming 北野.
  'GET /points/admin/partners': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({ url: `/points/admin/partners?month=${ANY_ROUTE_MONTH}` }),
  },
  'POST /points/admin/partners': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({
      url: '/points/admin/partners',
      payload: {
        partnerId: 'any-route',
        name: '南田交通',
        publicKeyPem: anyRoutePartnerKey,
        ratePartnerPoints: '2',
        ratePoints: '1',
        dailyCapPoints: '100',
        active: '1',
      },
    }),
  },
  'POST /points/admin/partners/invoices': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({ url: '/points/admin/partners/invoices', payload: { month: ANY_ROUTE_MONTH } }),
  },
  'GET /points/admin/partners/invoices.csv': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({ url: `/points/admin/partners/invoices.csv?month=${ANY_ROUTE_MONTH}` }),
  },
  'GET /points/admin/settlement': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({ url: '/points/admin/settlement' }),
  },
  'POST /points/admin/settlement/account': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({
      url: '/points/admin/settlement/account',
      payload: { ...anyRouteAccount, accountType: '1' },
    }),
  },
  'POST /points/admin/settlement/runs': {
    kind: 'session',
    ownStatus: 303,
    send: () => ({
      url: '/points/admin/settlement/runs',
      payload: { settlementId: `any-route-${Date.now()}`, transferDate: '2099-01-06' },
    }),
  },
  'GET /points/admin/settlement/:settlementId/zengin': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({ url: `/points/admin/settlement/${ANY_ROUTE_RUN}/zengin` }),
  },
  'GET /points/admin/settlement/:settlementId/report.csv': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({ url: `/points/admin/settlement/${ANY_ROUTE_RUN}/report.csv` }),
  },
  'GET /cases/:receiptNumber': {
    kind: 'session',
    ownStatus: 200,
    send: (target) => ({ url: `/cases/${receipt(target, 'open')}` }),
  },
  'POST /cases/:receiptNumber/assignment': {
    kind: 'session',
    ownStatus: 303,
    send: (target) => ({ url: `/cases/${receipt(target, 'open')}/assignment`, payload: { staffId: '' } }),
  },
  'POST /cases/:receiptNumber/comments': {
    kind: 'session',
    ownStatus: 303,
    send: (target) => ({ url: `/cases/${receipt(target, 'open')}/comments`, payload: { text: '確認中' } }),
  },
  'POST /cases/:receiptNumber/review': {
    kind: 'session',
    ownStatus: 303,
    send: (target) => ({ url: `/cases/${receipt(target, 'review-page')}/review`, payload: {} }),
  },
  'POST /cases/:receiptNumber/correction-request': {
    kind: 'session',
    ownStatus: 303,
    send: (target) => ({
      url: `/cases/${receipt(target, 'correct-page')}/correction-request`,
      payload: correction,
    }),
  },
  'POST /cases/:receiptNumber/decision': {
    kind: 'session',
    ownStatus: 303,
    send: (target) => ({ url: `/cases/${receipt(target, 'decide-page')}/decision`, payload: rejection }),
  },
};

/**
 * Files a case for each use in both municipalities, the other's naming its resident (北野,
 * 北一条西二丁目) so that a leak shows; the `open` ones with an attachment that has arrived.
 */
async function fileCases(zone: RunningZone): Promise<void> {
  const catalogue = loadCatalogue();
  const procedureId = 'child-allowance-certification';
  const example = catalogue.get(procedureId)!.definition.examples.valid;
  const claimants = [
    [OWN, OWN_RESIDENT, '南田 一郎', '東京都千代田区千代田一丁目1番'],
    [OTHER, OTHER_RESIDENT, '北野 一郎', '北海道札幌市中央区北一条西二丁目'],
  ] as const;
  const db = zone.context.database.db;
  for (const [code, residentCode, name, address] of claimants) {
    const content = new TextEncoder().encode(`rebuilt file of ${code}`);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const uploadId = randomUUID();
    uploadOf[residentCode] = uploadId;
    await sql`insert into sanitize_received_files
        (municipality_code, upload_id, uploaded_by, uploaded_at, received_at, media_type, bytes, sha256, content, report)
      values (${code}, ${uploadId}, 'resident:test', now(), now(), 'image/jpeg', ${content.length}, ${sha256}, ${content}, '{}')`.execute(
      db,
    );
    const filed: (typeof caseOf)[string] = {};
    for (const [index, use] of caseUses.entries()) {
      const receiptNumber = `${code}-20250101-${'ABCDEFG'[index]}AAAAA`;
      const data = { ...example, claimant: { ...(example.claimant as object), name, address } };
      const attachments = use === 'open' ? [{ id: 'bank-account-proof', uploadId, sha256 }] : [];
      const filedAt = '2025-01-01T00:00:00.000Z';
      const document = new TextEncoder().encode(
        JSON.stringify({ procedureId, municipalityCode: code, data, attachments, filedAt }),
      );
      await db.transaction().execute((trx) =>
        receiveSubmission(
          trx,
          parseLgCode(code),
          catalogue,
          {
            submissionId: randomUUID(),
            receiptNumber,
            procedureId,
            submittedBy: 'resident:test',
            submittedAt: filedAt,
            document,
            // Not a real signature: the case pages show it as one that does not verify.
            signature: new Uint8Array([0x30, 0x00]),
          },
          new Date(),
        ),
      );
      filed[use] = receiptNumber;
    }
    caseOf[residentCode] = filed;
  }
}

/** A merchant and a terminal key of it kept in lgwan for both municipalities, under the same ids. */
async function seedMerchants(zone: RunningZone): Promise<void> {
  for (const code of [OWN, OTHER]) {
    const terms = JSON.stringify({ ...anyRouteShop, feeBasisPoints: 100, active: true });
    await sql`insert into points_admin_merchants (municipality_code, merchant_id, terms, revision, updated_at, updated_by)
      values (${code}, ${ANY_ROUTE_SHOP}, ${terms}::jsonb, 1, now(), 'test')`.execute(
      zone.context.database.db,
    );
    await sql`insert into points_admin_merchant_keys (municipality_code, key_id, merchant_id, label, created_at, created_by)
      values (${code}, ${ANY_ROUTE_KEY}, ${ANY_ROUTE_SHOP}, 'レジ1', now(), 'test')`.execute(
      zone.context.database.db,
    );
  }
}

/**
 * An invoice month answered and a settled run kept in lgwan for both municipalities, under the
 * same month and run id; the other's partner and merchant are named 北野 so that a leak shows.
 */
async function seedPartnersAndSettlement(zone: RunningZone): Promise<void> {
  const db = zone.context.database.db;
  for (const [code, family] of [
    [OWN, '南田'],
    [OTHER, '北野'],
  ] as const) {
    const invoices = JSON.stringify([
      { partnerId: 'air', name: `${family}航空`, exchanges: 1, partnerPoints: 2, points: 1, amountYen: 1 },
    ]);
    await sql`insert into points_admin_invoice_requests
        (municipality_code, request_id, month, requested_at, requested_by, computed_at, answered_at, invoices)
      values (${code}, ${randomUUID()}, ${ANY_ROUTE_MONTH}, now(), 'test', now(), now(), ${invoices}::jsonb)`.execute(
      db,
    );
    const requestId = randomUUID();
    const requester = JSON.stringify({ ...anyRouteAccount, accountType: '1' });
    await sql`insert into points_admin_settlement_runs (municipality_code, request_id, settlement_id, transfer_date,
        requested_at, requested_by, outcome, repeated, requester, merchants, received, fees, payout, skipped, parts, answered_at)
      values (${code}, ${requestId}, ${ANY_ROUTE_RUN}, '2099-01-06', now(), 'test', 'settled', false,
        ${requester}::jsonb, 1, 1000, 10, 990, 0, 1, now())`.execute(db);
    const transfer = {
      bankCode: '0005',
      bankName: '',
      branchCode: '123',
      branchName: '',
      accountType: '1',
      accountNumber: '7654321',
      payeeName: 'ﾐｾ',
      amount: 990,
      customerCode: 'M-1',
    };
    const lines = JSON.stringify([
      {
        merchantId: 'm-1',
        name: `${family}商店`,
        received: 1000,
        fee: 10,
        payout: 990,
        skipped: null,
        transfer,
      },
    ]);
    await sql`insert into points_admin_settlement_parts (municipality_code, request_id, part, lines, received_at)
      values (${code}, ${requestId}, 1, ${lines}::jsonb, now())`.execute(db);
  }
}

/** A digest of every row of the other municipality, in every table that leads with municipality_code. */
async function otherFingerprint(zone: RunningZone): Promise<Record<string, string>> {
  const db = zone.context.database.db;
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.columns
    where column_name = 'municipality_code' and table_schema = current_schema()
      and table_name <> 'audit_log'
    order by table_name`.execute(db);
  const digest: Record<string, string> = {};
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ digest: string | null }>`
      select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest
      from ${sql.table(table_name)} t where municipality_code = ${OTHER}`.execute(db);
    digest[table_name] = rows.rows[0]?.digest ?? '';
  }
  return digest;
}

function expectNoOtherData(body: string, where: string) {
  for (const marker of OTHER_MARKERS) expect(body, `${where} leaked ${marker}`).not.toContain(marker);
}

describe.each([
  ['internet', internetZone],
  ['lgwan', lgwanZone],
  ['mynumber', mynumberZone],
] as const)('any route of the %s zone', (_name, definition: ZoneDefinition) => {
  let zone: RunningZone;
  let staff: SignedInStaff;
  let before: Record<string, string>;
  const hasStaff = definition !== internetZone;

  const send = (method: string, sent: Sent, who: SignedInStaff | undefined, accept?: string) =>
    zone.app.inject({
      method: method as 'GET' | 'POST',
      url: sent.url,
      headers: {
        ...(who ? { cookie: who.cookie, 'x-csrf-token': who.csrfToken } : {}),
        ...(accept ? { accept } : {}),
      },
      ...(sent.payload ? { payload: sent.payload } : {}),
    });

  let pki: Awaited<ReturnType<typeof createTestPki>>;

  beforeAll(async () => {
    pki = await createTestPki();
    zone = await openTestZone(definition, { jpkiDir: pki.dir });
    if (!hasStaff) return;
    // Every role at once: the strongest account of the municipality that tries.
    staff = await signedInStaff(zone, { municipalityCode: OWN, roles: [...roles] as Role[] });
    if (definition === mynumberZone) {
      const clerks = await Promise.all(
        [OWN, OTHER].map((code) =>
          signedInStaff(zone, { municipalityCode: code, roles: ['registry-clerk'] }),
        ),
      );
      const people = [person(11, '南田', 'みなみだ'), person(22, '北野', 'きたの')];
      const addresses = ['千代田一丁目1番', '北一条西二丁目'];
      for (const [index, code] of [OWN, OTHER].entries()) {
        const response = await send(
          'POST',
          {
            url: `/api/v1/municipalities/${code}/residents/events`,
            payload: {
              kind: 'move-in',
              person: people[index]!,
              effectiveOn: '2024-04-01',
              address: addresses[index],
              household: { kind: 'new' },
              fromMunicipalityCode: index === 0 ? OTHER : OWN,
            },
          },
          clerks[index],
        );
        expect(response.statusCode, response.body).toBe(201);
      }
      const made = await manufactureCard(
        { pin: '1234', password: 'TEST1234' },
        { now: new Date(), cost: 2 ** 10 },
      );
      cardRequests.auth = Buffer.from(made.requests.auth).toString('base64');
      cardRequests.signing = Buffer.from(made.requests.signing).toString('base64');
      for (const [index, code] of [OWN, OTHER].entries()) {
        const residentCode = index === 0 ? OWN_RESIDENT : OTHER_RESIDENT;
        const issued = await send(
          'POST',
          { url: `/api/v1/municipalities/${code}/cards`, payload: { residentCode, requests: cardRequests } },
          clerks[index],
        );
        expect(issued.statusCode, issued.body).toBe(201);
        cardOf[residentCode] = issued.json().cardId;
      }
      for (const code of Object.values(pendingCodes)) {
        await storeReceivedCardRequest(
          zone.context.database.db as JpkiIssuerDb,
          OWN,
          {
            requestId: randomUUID(),
            code,
            requests: cardRequests,
            expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
          },
          new Date(),
        );
      }
    }
    if (definition === lgwanZone) {
      await zone.context.database.db.transaction().execute(async (trx) => {
        for (const code of [OWN, OTHER]) {
          await storePopulationSnapshot(
            trx,
            tenantScope(parseLgCode(code)),
            {
              asOf: '2025-01-01',
              computedAt: '2025-01-01T00:00:00.000Z',
              total: 1,
              bySex: { male: 1, female: 0, notApplicable: 0 },
              byAgeBand: [{ fromAge: 0, toAge: null, count: 1 }],
            },
            zone.context.clock,
          );
        }
      });
      await signedInStaff(zone, { municipalityCode: OTHER, roles: ['admin'] });
      await fileCases(zone);
      await seedMerchants(zone);
      await seedPartnersAndSettlement(zone);
    }
    before = await otherFingerprint(zone);
  });
  afterAll(async () => {
    await zone?.close();
    pki?.remove();
  });

  it('classifies every route it registered', () => {
    const unclassified = registeredRoutes(zone.app)
      .map((route) => `${route.method} ${route.url}`)
      .filter((key) => !(key in cases));
    expect(unclassified, 'add these routes to the cases of this test').toEqual([]);
  });

  it('refuses the other municipality on every route that names one, and finds none of its records', async () => {
    for (const route of registeredRoutes(zone.app)) {
      const key = `${route.method} ${route.url}`;
      const routeCase = cases[key];
      if (!routeCase || (routeCase.kind !== 'tenant' && routeCase.kind !== 'session')) continue;
      const own = { lgCode: OWN, residentCode: OWN_RESIDENT };

      // The same request for the staff member's own municipality works: the refusals below
      // come from the tenant check, not from a malformed request.
      const control = await send(route.method, routeCase.send(own), staff);
      expect(control.statusCode, `${key} (own) ${control.body}`).toBe(routeCase.ownStatus);
      expectNoOtherData(control.body, `${key} (own)`);

      if (routeCase.kind === 'tenant') {
        const crossed = await send(
          route.method,
          routeCase.send({ lgCode: OTHER, residentCode: OTHER_RESIDENT }),
          staff,
        );
        expect(crossed.statusCode, `${key} (other) ${crossed.body}`).toBe(403);
        expect(crossed.json().type).toBe('/problems/tenant-forbidden');
        expectNoOtherData(crossed.body, `${key} (other)`);
      }
      if (['residentCode', 'cardId', 'receiptNumber'].some((param) => route.url.includes(`:${param}`))) {
        // The other's record, asked for under the staff member's own municipality.
        const smuggled = await send(
          route.method,
          routeCase.send({ lgCode: OWN, residentCode: OTHER_RESIDENT }),
          staff,
          routeCase.kind === 'session' ? 'text/html' : undefined,
        );
        expect(smuggled.statusCode, `${key} (other's record) ${smuggled.body}`).toBe(404);
        expectNoOtherData(smuggled.body, `${key} (other's record)`);
      }
    }
  });

  it('does not let staff sign in to the other municipality with their own account', async () => {
    if (!hasStaff) return;
    const account = await createTestStaff(zone, { municipalityCode: OWN, roles: ['admin'] });
    await expect(signInStaff(zone.app, { ...account, municipalityCode: OTHER })).rejects.toThrow(/401/);
  });

  it('answers staff on gateway routes with 401: only a zone with the pair key may call them', async () => {
    for (const route of registeredRoutes(zone.app)) {
      if (cases[`${route.method} ${route.url}`]?.kind !== 'gateway') continue;
      const response = await send(route.method, { url: route.url, payload: {} }, staff);
      expect(response.statusCode, `${route.url} ${response.body}`).toBe(401);
    }
  });

  it('shows none of the other municipality’s data on public pages', async () => {
    for (const route of registeredRoutes(zone.app)) {
      if (cases[`${route.method} ${route.url}`]?.kind !== 'public' || route.url.includes(':')) continue;
      const response = await send(route.method, { url: route.url }, staff);
      expect(response.statusCode, route.url).toBeLessThan(400);
      expectNoOtherData(response.body, route.url);
    }
  });

  it('left every row of the other municipality as it was', async () => {
    if (!hasStaff) return;
    // Signing out ends only the caller's own session.
    const signOut = await send('POST', { url: '/staff/sign-out' }, staff);
    expect(signOut.statusCode).toBeLessThan(400);
    expect(await otherFingerprint(zone)).toEqual(before);
    expect(Object.keys(before).length).toBeGreaterThan(0);
  });
});
