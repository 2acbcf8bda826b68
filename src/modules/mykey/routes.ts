import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { type AuditLog, type Clock, type HttpApp, MachiError, type TenantScope } from '../../core/index.ts';
import { cardReadChallenge, identifyCardHolder, type RelyingParty } from '../jpki/index.ts';
import {
  type FacilityDb,
  facilityCardsOf,
  facilityOfToken,
  linkFacilityCard,
  memberNumberAt,
} from './facility-cards.ts';
import { type MyKeyDb, myKeyIdOf } from './mykey-id.ts';

export interface MyKeyRoutesOptions {
  // biome-ignore lint/suspicious/noExplicitAny: the zone's database, of any tables.
  readonly db: Kysely<any>;
  readonly clock: Clock;
  readonly audit: AuditLog;
  /** The signed-in resident (the internet zone: a resident signed in with the card). */
  readonly resident: (request: FastifyRequest) => Promise<{ scope: TenantScope; subjectId: string }>;
  /** Card checking, once the card authority is set up here. */
  readonly cards: () => RelyingParty | undefined;
}

const LinkBody = Type.Object(
  { facilityId: Type.String({ maxLength: 40 }), memberNumber: Type.String({ maxLength: 32 }) },
  { additionalProperties: false },
);
export const CardAnswer = Type.Object(
  {
    challenge: Type.String({ maxLength: 1024 }),
    certificate: Type.String({ maxLength: 8192 }),
    signature: Type.String({ maxLength: 2048 }),
  },
  { additionalProperties: false },
);

/**
 * Facility cards on the My Number card (internet zone). Residents link their facility cards'
 * member numbers to their MyKey ID. A facility's card reader (its key) asks for a challenge,
 * the card signs it with its auth certificate, and the reader learns the holder's member
 * number at that facility — nothing else: not the MyKey ID, not the name, not the My Number.
 */
export function registerMyKeyRoutes(app: HttpApp, options: MyKeyRoutesOptions): void {
  const facilities = options.db as FacilityDb;
  const reader = (request: FastifyRequest) => facilityOfToken(facilities, request.headers.authorization);
  const cards = () => {
    const party = options.cards();
    if (!party) throw new MachiError('pki-not-ready');
    return party;
  };
  async function myKeyOf(request: FastifyRequest) {
    const { scope, subjectId } = await options.resident(request);
    const myKeyId = await myKeyIdOf(options.db as MyKeyDb, scope, subjectId);
    if (!myKeyId) throw new MachiError('conflict', 'Set up your MyKey ID first (POST /api/v1/points/mykey).');
    return { scope, myKeyId };
  }

  app.post('/api/v1/mykey/facility-cards', { schema: { body: LinkBody } }, async (request, reply) => {
    const { scope, myKeyId } = await myKeyOf(request);
    await linkFacilityCard(facilities, scope, { myKeyId, ...request.body }, options.clock.now());
    return reply
      .status(201)
      .send({ facilityId: request.body.facilityId, memberNumber: request.body.memberNumber });
  });

  app.get('/api/v1/mykey/facility-cards', async (request) => {
    const { scope, myKeyId } = await myKeyOf(request);
    return { cards: await facilityCardsOf(facilities, scope, myKeyId) };
  });

  app.post('/api/v1/mykey/reader/challenges', async (request) => {
    const { facilityId, keyId } = await reader(request);
    const challenge = cardReadChallenge(cards(), `${facilityId}:${keyId}`);
    return { challenge: challenge.challenge, expiresAt: challenge.expiresAt.toISOString() };
  });

  app.post('/api/v1/mykey/reader/members', { schema: { body: CardAnswer } }, async (request) => {
    const { scope, facilityId, keyId } = await reader(request);
    const holder = await identifyCardHolder(
      cards(),
      request.body,
      `${facilityId}:${keyId}`,
      `facility:${facilityId}`,
    );
    // A card of another municipality's resident has no MyKey ID here: the same answer as no card.
    const myKeyId =
      holder.municipalityCode === scope.municipalityCode
        ? await myKeyIdOf(options.db as MyKeyDb, scope, holder.subjectId)
        : undefined;
    if (!myKeyId) throw new MachiError('not-found', 'This card holds no member number for this facility.');
    return { memberNumber: await memberNumberAt(facilities, scope, facilityId, myKeyId) };
  });
}
