import {
  type AuditLog,
  asMachiError,
  type Clock,
  type Database,
  MachiError,
  type ZoneName,
} from '../../core/index.ts';
import { requireChannel } from './channels.ts';
import type { Envelope } from './envelope.ts';
import { type BatchHandler, eachInTurn, type MessageHandler, receiveAll, receiveOnce } from './inbox.ts';
import type { GatewayKeys } from './keys.ts';
import { ackOutbox, leaseFromOutbox } from './outbox.ts';
import { parseEnvelope, parseEnvelopeBatch } from './parse-envelope.ts';
import { gatewayHeaders, signResponse, verifyRequest } from './signature.ts';
import {
  type GatewayEndpoint,
  type GatewayRequest,
  type GatewayResponse,
  JSON_TYPE,
  problemResponse,
} from './transport.ts';
import { ackRequestSchema, gatewayPaths, parseWire, pullRequestSchema } from './wire.ts';

export interface EndpointOptions {
  readonly zone: ZoneName;
  readonly keys: GatewayKeys;
  readonly database: Database;
  readonly audit: AuditLog;
  readonly clock: Clock;
  handlerFor(type: string, version: number): MessageHandler | undefined;
  /** The type's batch handler, when it has one (gateway.handleAll). */
  batchHandlerFor(type: string, version: number): BatchHandler | undefined;
}

/**
 * The receiving side of a zone (lgwan): the inbox for pushes and the outbox
 * for pulls. Every request is authenticated by its pair key before its body is
 * read; every answer to an authenticated request is signed back. Refusals are
 * audited (who claimed to call, which check failed — never the body).
 */
export function createGatewayEndpoint(options: EndpointOptions): GatewayEndpoint {
  const { zone, keys, database, audit, clock } = options;

  function handlerOf(envelope: Envelope): MessageHandler {
    const handler = options.handlerFor(envelope.type, envelope.version);
    if (!handler) {
      throw new MachiError(
        'gateway-message-invalid',
        `The ${zone} zone has no handler for ${envelope.type} v${envelope.version}.`,
      );
    }
    return handler;
  }

  async function dispatch(request: GatewayRequest, from: ZoneName): Promise<unknown> {
    switch (request.path) {
      case gatewayPaths.messages: {
        requireChannel(from, zone, 'push');
        const { envelope } = parseEnvelope(request.body, { from, to: zone }, undefined, request.attached);
        return receiveOnce(database, audit, clock, envelope, handlerOf(envelope));
      }
      case gatewayPaths.batch: {
        requireChannel(from, zone, 'push');
        const envelopes = parseEnvelopeBatch(request.body, { from, to: zone }, undefined, request.attached);
        const [first] = envelopes;
        // One type to a batch (parseEnvelopeBatch): its own batch handler, or its handler in turn.
        const handler = options.batchHandlerFor(first!.type, first!.version) ?? eachInTurn(handlerOf(first!));
        return { receipts: await receiveAll(database, audit, clock, envelopes, handler) };
      }
      case gatewayPaths.pull: {
        requireChannel(zone, from, 'pull');
        refuseAttached(request);
        const { limit } = parseWire(pullRequestSchema, request.body);
        return { messages: await leaseFromOutbox(database, clock, from, limit) };
      }
      case gatewayPaths.ack: {
        requireChannel(zone, from, 'pull');
        refuseAttached(request);
        const acks = parseWire(ackRequestSchema, request.body);
        return { acknowledged: await ackOutbox(database, clock, from, acks) };
      }
    }
    return undefined;
  }

  return {
    async handle(request) {
      let from: ZoneName | undefined;
      try {
        if (!Object.values(gatewayPaths).includes(request.path as never)) {
          return problemResponse(
            new MachiError('not-found', `Nothing is at ${request.method} ${request.path}.`),
          );
        }
        from = verifyRequest(keys, clock, zone, request);
        const body = JSON.stringify(await dispatch(request, from));
        return signed(200, body, from, request);
      } catch (error) {
        const machiError = asMachiError(error as Error);
        await audit.record({
          municipalityCode: null,
          actor: `gateway:${from ?? claimedFrom(request)}`,
          action: 'gateway.refuse',
          target: request.path,
          outcome: 'failure',
          details: { code: machiError.code, authenticated: from !== undefined },
        });
        return from ? signedProblem(machiError, from, request) : problemResponse(machiError);
      }
    },
  };

  function signed(status: number, body: string, to: ZoneName, request: GatewayRequest): GatewayResponse {
    const headers = signResponse(keys, clock, {
      status,
      from: zone,
      to,
      requestSignature: request.headers[gatewayHeaders.signature] ?? '',
      body,
    });
    return { status, headers: { ...headers, 'content-type': JSON_TYPE }, body };
  }

  function signedProblem(error: MachiError, to: ZoneName, request: GatewayRequest): GatewayResponse {
    const problem = problemResponse(error);
    const headers = signResponse(keys, clock, {
      status: problem.status,
      from: zone,
      to,
      requestSignature: request.headers[gatewayHeaders.signature] ?? '',
      body: problem.body,
    });
    return { ...problem, headers: { ...problem.headers, ...headers } };
  }
}

/** Only pushed messages carry attachments. */
function refuseAttached(request: GatewayRequest): void {
  if (request.attached !== undefined) {
    throw new MachiError('gateway-message-invalid', `${request.path} takes no attachments.`);
  }
}

function claimedFrom(request: GatewayRequest): string {
  const claimed = request.headers[gatewayHeaders.from];
  return claimed === 'internet' || claimed === 'lgwan' || claimed === 'mynumber' ? claimed : 'unknown';
}
