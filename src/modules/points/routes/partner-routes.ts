import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { type HttpApp, MachiError, parseLgCode, tenantScope } from '../../../core/index.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';
import { exchangePoints } from '../partners/exchange-points.ts';
import { type PartnersDb, partnerOf } from '../partners/partners.ts';
import { verifyPartnerRequest } from '../partners/signed-request.ts';
import type { PointsRoutesContext } from './resident-routes.ts';

const MAX_BODY = 4 * 1024;

/** An exchange as partners send it (checked by hand below: the body is read as text for the signature). */
export const ExchangeBody = Type.Object(
  {
    exchangeId: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' }),
    myKeyId: Type.String({ pattern: '^MK[A-Z2-9]{12}$' }),
    partnerPoints: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);

/** The body of an exchange, checked by hand: it was read as text so the signature covers it exactly. */
function exchangeBody(text: string): { exchangeId: string; myKeyId: string; partnerPoints: number } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new MachiError('validation-failed', 'The body is not JSON.');
  }
  const { exchangeId, myKeyId, partnerPoints, ...rest } = (body ?? {}) as Record<string, unknown>;
  if (typeof exchangeId !== 'string' || typeof myKeyId !== 'string' || typeof partnerPoints !== 'number') {
    throw new MachiError('validation-failed', 'Send {exchangeId, myKeyId, partnerPoints}.');
  }
  if (Object.keys(rest).length > 0) {
    throw new MachiError('validation-failed', `Unknown fields: ${Object.keys(rest).join(', ')}.`);
  }
  if (!/^MK[A-Z2-9]{12}$/.test(myKeyId))
    throw new MachiError('validation-failed', 'myKeyId is not a MyKey ID.');
  return { exchangeId, myKeyId, partnerPoints };
}

/**
 * The partner API (internet zone): a partner company converts a resident's points with a call
 * signed by its Ed25519 key (`x-machi-timestamp`, `x-machi-signature` over timestamp, method,
 * path and the body's SHA-256). The body stays text until the signature is checked.
 */
export function registerPointsPartnerRoutes(app: HttpApp, context: PointsRoutesContext): void {
  app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
      done(null, body),
    );
    scope.post<{ Params: { lgCode: string; partnerId: string } }>(
      '/api/v1/municipalities/:lgCode/points/partners/:partnerId/exchanges',
      { bodyLimit: MAX_BODY },
      async (request, reply) => {
        const tenant = tenantScope(parseLgCode(request.params.lgCode));
        const partner = await partnerOf(context.db as PartnersDb, tenant, request.params.partnerId);
        const body = typeof request.body === 'string' ? request.body : '';
        const header = (name: string) => {
          const value = request.headers[name];
          return typeof value === 'string' ? value : undefined;
        };
        verifyPartnerRequest(
          partner.publicKey,
          {
            timestamp: header('x-machi-timestamp'),
            signature: header('x-machi-signature'),
            method: request.method,
            path: request.url.split('?')[0] ?? '',
            body,
          },
          context.clock.now(),
        );
        const exchange = exchangeBody(body);
        const done = await exchangePoints(
          context.db as Kysely<PointsLedgerTables>,
          context,
          tenant,
          partner,
          exchange,
        );
        return reply.status(done.repeated ? 200 : 201).send({
          exchangeId: exchange.exchangeId,
          partnerPoints: exchange.partnerPoints,
          points: done.points,
          at: done.createdAt.toISOString(),
        });
      },
    );
  });
}
