import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import {
  fill,
  type HttpApp,
  isMachiError,
  MachiError,
  newTerminalKey,
  pickLang,
  type TenantScope,
  t,
} from '../../../core/index.ts';
import { currentStaff, requireRole, staffScope } from '../../identity/index.ts';
import type { MerchantTerms } from '../merchants/save-merchant.ts';
import type { PointsAdminContext } from './admin-routes.ts';
import { typedFields } from './form-fields.ts';
import { type MerchantForm, readMerchantForm } from './merchants-form.ts';
import { issuedKeyBody, type MerchantsOutcome, merchantBody, merchantsBody } from './merchants-pages.ts';
import {
  adminMerchantOf,
  adminMerchants,
  issuedKeys,
  type MerchantsAdminDb,
  recordIssuedKey,
  recordRevokedKey,
  saveAdminMerchant,
} from './merchants-store.ts';
import { merchantWords as w } from './merchants-words.ts';
import { sendStaffPointsPage } from './staff-page.ts';

// biome-ignore lint/suspicious/noExplicitAny: the caller's transaction, of any tables.
type AnyTransaction = Kysely<any>;

/** How lgwan sends merchants and their keys to the internet zone: into its outbox, in the caller's transaction. */
export interface PointsMerchantsPublish {
  merchant(
    trx: AnyTransaction,
    scope: TenantScope,
    merchant: MerchantTerms,
    revision: number,
  ): Promise<unknown>;
  key(
    trx: AnyTransaction,
    scope: TenantScope,
    key: { merchantId: string; keyId: string; secretSha256: string; label: string },
  ): Promise<unknown>;
  revocation(
    trx: AnyTransaction,
    scope: TenantScope,
    key: { merchantId: string; keyId: string },
  ): Promise<unknown>;
}

const text = Type.Optional(Type.String({ maxLength: 200 }));
const MerchantBody = Type.Object({
  _csrf: text,
  mode: text,
  merchantId: text,
  name: text,
  nameLatin: text,
  cityLatin: text,
  categoryCode: text,
  postalCode: text,
  feePercent: text,
  bankCode: text,
  branchCode: text,
  accountType: text,
  accountNumber: text,
  holderKana: text,
  status: text,
});
const MerchantParams = Type.Object({ merchantId: Type.String({ maxLength: 64 }) });
const KeyParams = Type.Object({
  merchantId: Type.String({ maxLength: 64 }),
  keyId: Type.String({ maxLength: 64 }),
});
const KeyBody = Type.Object({ _csrf: text, label: text });

const LABEL_MAX = 40;

/**
 * Merchants for points staff in lgwan (role points-admin): registering and changing shops —
 * names for the QR code, fee, the bank account settlement pays to, suspension — and issuing
 * and revoking their terminal keys. Each change is kept here and put in the outbox for the
 * internet zone in the same transaction, with an audit entry. A key is made here: its token
 * is shown once, and only its SHA-256 leaves this page.
 */
export function registerPointsMerchantPages(
  app: HttpApp,
  context: PointsAdminContext,
  publish: PointsMerchantsPublish,
) {
  const db = context.db as MerchantsAdminDb;
  const admin = { preValidation: requireRole('points-admin') };

  async function listPage(request: FastifyRequest, reply: FastifyReply, outcome: MerchantsOutcome = {}) {
    const lang = pickLang(request);
    const body = merchantsBody(lang, {
      csrfToken: currentStaff(request).csrfToken,
      merchants: await adminMerchants(db, staffScope(request)),
      ...outcome,
    });
    const refused = (outcome.problems?.length ?? 0) > 0;
    return sendStaffPointsPage(request, reply, {
      title: t(lang, w.title),
      body,
      ...(refused ? { status: 422, error: true } : {}),
    });
  }

  async function merchantPage(
    request: FastifyRequest,
    reply: FastifyReply,
    merchantId: string,
    outcome: MerchantsOutcome & { keyProblem?: string } = {},
  ) {
    const lang = pickLang(request);
    const scope = staffScope(request);
    const merchant = await adminMerchantOf(db, scope, merchantId);
    const body = merchantBody(lang, {
      csrfToken: currentStaff(request).csrfToken,
      merchant,
      keys: await issuedKeys(db, scope, merchantId),
      ...outcome,
    });
    const refused = (outcome.problems?.length ?? 0) > 0 || outcome.keyProblem !== undefined;
    return sendStaffPointsPage(request, reply, {
      title: `${merchant.terms.name} — ${t(lang, w.title)}`,
      body,
      ...(refused ? { status: 422, error: true } : {}),
    });
  }

  app.get('/points/admin/merchants', admin, (request, reply) => listPage(request, reply));

  app.get(
    '/points/admin/merchants/:merchantId',
    { ...admin, schema: { params: MerchantParams } },
    (request, reply) => merchantPage(request, reply, request.params.merchantId),
  );

  app.post(
    '/points/admin/merchants',
    { ...admin, schema: { body: MerchantBody } },
    async (request, reply) => {
      const lang = pickLang(request);
      const scope = staffScope(request);
      const staff = currentStaff(request);
      const mode = request.body.mode === 'edit' ? 'edit' : 'new';
      const typed = typedFields(request.body);
      const { terms, problems } = readMerchantForm(lang, scope, request.body as MerchantForm);
      // A refused change of a kept merchant is said on its own page, a refused registration on the list.
      const refuse = (said: MerchantsOutcome['problems']) =>
        mode === 'edit'
          ? merchantPage(request, reply, terms.merchantId, { problems: said, typed })
          : listPage(request, reply, { problems: said, typed });
      if (problems.length > 0) return refuse(problems);
      try {
        await db.transaction().execute(async (trx) => {
          const now = context.clock.now();
          const revision = await saveAdminMerchant(trx, scope, terms, mode, staff.staffId, now);
          await publish.merchant(trx, scope, terms, revision);
          await context.audit.append(trx, {
            municipalityCode: scope.municipalityCode,
            actor: `staff:${staff.staffId}`,
            action: 'points.merchant.save',
            target: terms.merchantId,
            outcome: 'success',
            details: { revision, active: terms.active, feeBasisPoints: terms.feeBasisPoints },
          });
        });
      } catch (error) {
        if (!isMachiError(error) || error.code !== 'conflict') throw error;
        return refuse([{ field: 'merchantId', message: fill(t(lang, w.taken), { id: terms.merchantId }) }]);
      }
      const done = fill(t(lang, w.saved), { name: terms.name });
      return merchantPage(request, reply, terms.merchantId, { done });
    },
  );

  app.post(
    '/points/admin/merchants/:merchantId/keys',
    { ...admin, schema: { params: MerchantParams, body: KeyBody } },
    async (request, reply) => {
      const lang = pickLang(request);
      const scope = staffScope(request);
      const staff = currentStaff(request);
      const { terms } = await adminMerchantOf(db, scope, request.params.merchantId);
      const label = (request.body.label ?? '').trim();
      if (label === '' || [...label].length > LABEL_MAX) {
        const outcome = { keyProblem: t(lang, w.labelProblem), typed: { label } };
        return merchantPage(request, reply, terms.merchantId, outcome);
      }
      // Made here, so that the token exists only on the page below: the secret's hash goes out.
      const key = newTerminalKey('mk');
      await db.transaction().execute(async (trx) => {
        const made = { merchantId: terms.merchantId, keyId: key.keyId, label };
        await recordIssuedKey(trx, scope, made, staff.staffId, context.clock.now());
        await publish.key(trx, scope, { ...made, secretSha256: key.secretSha256 });
        await context.audit.append(trx, {
          municipalityCode: scope.municipalityCode,
          actor: `staff:${staff.staffId}`,
          action: 'points.merchant-key.issue',
          target: `${terms.merchantId}/${key.keyId}`,
          outcome: 'success',
        });
      });
      // Pages are never cached (security headers); said again here, where it matters most.
      reply.header('cache-control', 'no-store');
      return sendStaffPointsPage(request, reply, {
        title: t(lang, w.issuedTitle),
        body: issuedKeyBody(lang, { merchant: terms, label, token: key.token }),
      });
    },
  );

  app.post(
    '/points/admin/merchants/:merchantId/keys/:keyId/revoke',
    { ...admin, schema: { params: KeyParams } },
    async (request, reply) => {
      const lang = pickLang(request);
      const scope = staffScope(request);
      const staff = currentStaff(request);
      const { merchantId, keyId } = request.params;
      const label = await db.transaction().execute(async (trx) => {
        const now = context.clock.now();
        const keys = await issuedKeys(trx, scope, merchantId);
        const key = keys.find((one) => one.keyId === keyId);
        if (!key) throw new MachiError('not-found', 'No such key of this merchant.');
        // Revoked before: nothing more to send.
        if (!(await recordRevokedKey(trx, scope, { merchantId, keyId }, staff.staffId, now)))
          return key.label;
        await publish.revocation(trx, scope, { merchantId, keyId });
        await context.audit.append(trx, {
          municipalityCode: scope.municipalityCode,
          actor: `staff:${staff.staffId}`,
          action: 'points.merchant-key.revoke',
          target: `${merchantId}/${keyId}`,
          outcome: 'success',
        });
        return key.label;
      });
      return merchantPage(request, reply, merchantId, { done: fill(t(lang, w.revokedDone), { label }) });
    },
  );
}
