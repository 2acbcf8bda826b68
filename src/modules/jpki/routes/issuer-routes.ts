import type { FastifyRequest } from 'fastify';
import type { HttpApp, TenantScope, ZoneContext } from '../../../core/index.ts';
import { currentStaff, requireRole, requireTenant } from '../../identity/index.ts';
import { parseResidentCode } from '../../registry/index.ts';
import { issueFromCardRequest } from '../card-requests/counter-request.ts';
import { issueCard } from '../issuance/issue-card.ts';
import type { IssuerContext } from '../issuance/issuer-context.ts';
import { cardsOfResident } from '../issuance/list-cards.ts';
import { renewCard } from '../issuance/renew-card.ts';
import { revokeCard } from '../issuance/revoke-card.ts';
import { pkiMissing } from '../runtime.ts';
import {
  CardListSchema,
  CardParams,
  IssueCardBody,
  IssuedCardSchema,
  IssuedFromRequestSchema,
  IssueFromRequestBody,
  MunicipalityParams,
  ResidentParams,
  RevokeBody,
  RevokedSchema,
} from './schemas.ts';

const BASE = '/api/v1/municipalities/:lgCode';
// Card issuance and revocation are counter work of the registry clerk (住民基本台帳担当).
const clerk = 'registry-clerk';

function tenantOf(context: ZoneContext, request: FastifyRequest, lgCode: string): TenantScope {
  context.served.require(lgCode);
  return requireTenant(request, lgCode);
}

const actorOf = (request: FastifyRequest) => `staff:${currentStaff(request).staffId}`;

/**
 * The counter's card API (mynumber zone): issue a card from the card's own requests,
 * renew its certificates, list a resident's cards, revoke one. `issuer()` is undefined until the PKI exists.
 */
export function registerIssuerRoutes(
  app: HttpApp,
  context: ZoneContext,
  issuer: () => IssuerContext | undefined,
): void {
  const required = (): IssuerContext => {
    const ready = issuer();
    if (!ready) throw pkiMissing();
    return ready;
  };

  app.post(
    `${BASE}/cards/:cardId/renew`,
    {
      preValidation: requireRole(clerk),
      schema: { params: CardParams, body: IssueCardBody, response: { 201: IssuedCardSchema } },
    },
    async (request, reply) => {
      const scope = tenantOf(context, request, request.params.lgCode);
      const certificates = await renewCard(required(), scope, {
        cardId: request.params.cardId,
        residentCode: parseResidentCode(request.body.residentCode),
        requests: request.body.requests,
        actor: actorOf(request),
      });
      return reply.status(201).send({
        cardId: request.params.cardId,
        notAfter: certificates.auth.notAfter.toISOString(),
        replacedCardId: null,
        certificates: {
          auth: certificates.auth.toString('pem'),
          signing: certificates.signing.toString('pem'),
        },
      });
    },
  );

  app.post(
    `${BASE}/cards`,
    {
      preValidation: requireRole(clerk),
      schema: { params: MunicipalityParams, body: IssueCardBody, response: { 201: IssuedCardSchema } },
    },
    async (request, reply) => {
      const scope = tenantOf(context, request, request.params.lgCode);
      const residentCode = parseResidentCode(request.body.residentCode);
      const issued = await issueCard(required(), scope, {
        residentCode,
        requests: request.body.requests,
        actor: actorOf(request),
      });
      return reply.status(201).send({
        cardId: issued.cardId,
        notAfter: issued.certificates.auth.notAfter.toISOString(),
        replacedCardId: issued.replacedCardId,
        certificates: {
          auth: issued.certificates.auth.toString('pem'),
          signing: issued.certificates.signing.toString('pem'),
        },
      });
    },
  );

  app.post(
    `${BASE}/card-requests/issue`,
    {
      preValidation: requireRole(clerk),
      schema: {
        params: MunicipalityParams,
        body: IssueFromRequestBody,
        response: { 201: IssuedFromRequestSchema },
      },
    },
    async (request, reply) => {
      const scope = tenantOf(context, request, request.params.lgCode);
      const issued = await issueFromCardRequest(required(), scope, {
        residentCode: parseResidentCode(request.body.residentCode),
        code: request.body.code,
        actor: actorOf(request),
      });
      return reply.status(201).send({
        cardId: issued.cardId,
        requestId: issued.requestId,
        notAfter: issued.certificates.auth.notAfter.toISOString(),
        replacedCardId: issued.replacedCardId,
      });
    },
  );

  app.get(
    `${BASE}/residents/:residentCode/cards`,
    {
      preValidation: requireRole(clerk),
      schema: { params: ResidentParams, response: { 200: CardListSchema } },
    },
    async (request) => {
      const scope = tenantOf(context, request, request.params.lgCode);
      return {
        cards: await cardsOfResident(
          context,
          scope,
          parseResidentCode(request.params.residentCode),
          actorOf(request),
        ),
      };
    },
  );

  app.post(
    `${BASE}/cards/:cardId/revoke`,
    {
      preValidation: requireRole(clerk),
      schema: { params: CardParams, body: RevokeBody, response: { 200: RevokedSchema } },
    },
    async (request) => {
      const scope = tenantOf(context, request, request.params.lgCode);
      const { revoked } = await revokeCard(
        required(),
        scope,
        request.params.cardId,
        request.body.reason as never,
        actorOf(request),
      );
      return { cardId: request.params.cardId, revoked };
    },
  );
}
