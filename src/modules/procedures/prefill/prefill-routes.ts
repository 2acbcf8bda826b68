import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type HttpApp, MachiError } from '../../../core/index.ts';
import {
  type PrefillContext,
  type PrefillRequest,
  type PrefillResident,
  readPrefill,
  requestPrefill,
} from './prefill-store.ts';

export interface PrefillRoutesOptions {
  /** The signed-in resident (the zone decides how: the card's session, CSRF on POST). */
  resident(request: FastifyRequest): Promise<PrefillResident>;
  /** Pushes the request inward (the zone: through the gateway to lgwan, for mynumber). */
  send(resident: PrefillResident, request: PrefillRequest): Promise<unknown>;
}

const sex = Type.Union([Type.Literal('1'), Type.Literal('2'), Type.Literal('9')]);
const Person = Type.Object({
  name: Type.String(),
  nameKana: Type.String(),
  postalCode: Type.Union([Type.String(), Type.Null()]),
  address: Type.String(),
  birthDate: Type.String(),
  sex,
});
const Member = Type.Object({
  name: Type.String(),
  nameKana: Type.String(),
  birthDate: Type.String(),
  sex,
  relationship: Type.String(),
});
const Pending = Type.Object({ status: Type.Literal('pending') });
/**
 * The answer the portal shows and fills forms with: `ready` with the person (null when the
 * registry found no current resident behind the card) and the household, or `pending`.
 * Declared field by field: nothing else the row holds can leak into the answer.
 */
const PrefillStateSchema = Type.Object({
  status: Type.Union([Type.Literal('pending'), Type.Literal('ready')]),
  person: Type.Optional(Type.Union([Person, Type.Null()])),
  householdMembers: Type.Optional(Type.Array(Member)),
  asOf: Type.Optional(Type.String()),
});

/**
 * ワンスオンリー on the portal (internet zone): POST asks the registry for the signed-in
 * resident's own facts and household (202, pending; at most once a minute), GET reads the
 * answer once it has come back through lgwan (ready, for an hour), pending, or 404.
 */
export function registerPrefillRoutes(
  app: HttpApp,
  context: PrefillContext,
  options: PrefillRoutesOptions,
): void {
  app.post('/api/v1/me/prefill', { schema: { response: { 202: Pending } } }, async (request, reply) => {
    const resident = await options.resident(request);
    await requestPrefill(context, resident, (inward) => options.send(resident, inward));
    return reply
      .status(202)
      .header('cache-control', 'no-store')
      .send({ status: 'pending' as const });
  });

  app.get(
    '/api/v1/me/prefill',
    { schema: { response: { 200: PrefillStateSchema } } },
    async (request, reply) => {
      const resident = await options.resident(request);
      const state = await readPrefill(context.database.db, resident, context.clock.now());
      if (!state)
        throw new MachiError(
          'not-found',
          'Nothing has been asked of the registry, or the answer has expired.',
        );
      reply.header('cache-control', 'no-store');
      if (state.status === 'pending') return { status: 'pending' as const };
      return {
        status: 'ready' as const,
        person: state.person,
        householdMembers: [...state.householdMembers],
        asOf: state.asOf,
      };
    },
  );
}
