import { Type } from 'typebox';
import type { HttpApp, ZoneContext } from '../../../core/index.ts';
import { cardRequestState, createCardRequest } from '../card-requests/online-request.ts';

const Csr = Type.String({ minLength: 1, maxLength: 4096 });

export const CardRequestBody = Type.Object(
  {
    municipalityCode: Type.String({ maxLength: 20 }),
    requests: Type.Object({ auth: Csr, signing: Csr }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

const CreatedSchema = Type.Object({
  requestId: Type.String(),
  code: Type.String(),
  expiresAt: Type.String(),
});
const StateSchema = Type.Object({
  status: Type.String(),
  code: Type.String(),
  expiresAt: Type.String(),
  certificates: Type.Union([Type.Object({ auth: Type.String(), signing: Type.String() }), Type.Null()]),
});

/**
 * The portal's side of a browser card (internet zone): the browser sends the requests
 * its new keys signed, gets a code to show at the counter, and polls until issued.
 * `onCreated` sends the request inward at once (the periodic push retries on failure).
 */
export function registerCardRequestRoutes(app: HttpApp, context: ZoneContext, onCreated: () => void): void {
  app.post(
    '/api/v1/jpki/card-requests',
    { schema: { body: CardRequestBody, response: { 201: CreatedSchema } } },
    async (request, reply) => {
      const municipality = context.served.require(request.body.municipalityCode);
      const created = await createCardRequest(
        context.database,
        { municipalityCode: municipality.code, requests: request.body.requests },
        context.clock.now(),
      );
      onCreated();
      return reply.status(201).send({ ...created, expiresAt: created.expiresAt.toISOString() });
    },
  );

  app.get(
    '/api/v1/jpki/card-requests/:requestId',
    {
      schema: {
        params: Type.Object({ requestId: Type.String({ format: 'uuid', maxLength: 36 }) }),
        response: { 200: StateSchema },
      },
    },
    async (request) => cardRequestState(context.database, request.params.requestId, context.clock.now()),
  );
}
