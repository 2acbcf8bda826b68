import { hash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Static, TSchema } from 'typebox';
import {
  type AuditLog,
  type Clock,
  type Database,
  isMachiError,
  type LgCode,
  MachiError,
  type ZoneName,
} from '../../core/index.ts';
import { hasEndpoint, requireChannel } from './channels.ts';
import { createGatewayEndpoint } from './endpoint.ts';
import type { AttachmentInfo, Envelope } from './envelope.ts';
import {
  type BatchHandler,
  type JsonValue,
  type MessageHandler,
  type Receipt,
  receiveOnce,
} from './inbox.ts';
import type { MessageType } from './message-type.ts';
import type { GatewayNetwork } from './network.ts';
import { putInOutbox } from './outbox.ts';
import { checkEnvelope, checkReceived } from './parse-envelope.ts';
import { gatewayHeaders, signRequest, verifyResponse } from './signature.ts';
import type { GatewayEndpoint, GatewayResponse } from './transport.ts';
import {
  type AckRequest,
  ackResponseSchema,
  batchResponseSchema,
  gatewayPaths,
  MAX_ATTACHED_BYTES,
  MAX_BATCH,
  parseWire,
  pullResponseSchema,
  receiptSchema,
} from './wire.ts';

// biome-ignore lint/suspicious/noExplicitAny: any module's transaction.
type AnyTransaction = Kysely<any>;

export interface OutgoingMessage<P> {
  readonly municipalityCode: LgCode | null;
  readonly payload: P;
  /** Set it to make a retried send (or a reply to a redelivered request) the same message. */
  readonly id?: string;
  /**
   * The bytes a message of a type with an attachment carries (pushed only), with their
   * SHA-256 when the sender knows it already; the receiver checks it either way.
   */
  readonly attachment?: { readonly data: Uint8Array; readonly sha256?: string };
}

export interface PullResult {
  readonly processed: number;
  readonly duplicates: number;
  readonly rejected: number;
}

interface Logger {
  warn(object: object, message: string): void;
}

/** One zone's side of the gateway: what its composition uses to send, receive and pull. */
export interface ZoneGateway {
  readonly zone: ZoneName;
  /** The zone's receiving side, when it has one (lgwan); the zone mounts it on HTTP. */
  readonly endpoint: GatewayEndpoint | undefined;
  /** Handles one message type received by this zone (pushed to it or pulled by it). */
  handle<S extends TSchema>(type: MessageType<S>, handler: MessageHandler<Static<S>>): void;
  /** The same with a handler of several messages at once: a batch is one call, a single message a batch of one. */
  handleAll<S extends TSchema>(type: MessageType<S>, handler: BatchHandler<Static<S>>): void;
  /** Pushes a message to `to` and waits for its receipt (the handler's result). */
  send<S extends TSchema>(
    to: ZoneName,
    type: MessageType<S>,
    message: OutgoingMessage<Static<S>>,
  ): Promise<Receipt>;
  /**
   * Pushes several messages of one type in one call (at most MAX_BATCH) and waits for their
   * receipts, in the same order. `to` keeps all of them or none: any refusal refuses the call,
   * and sending them one by one then tells which message it was.
   */
  sendAll<S extends TSchema>(
    to: ZoneName,
    type: MessageType<S>,
    messages: readonly OutgoingMessage<Static<S>>[],
  ): Promise<Receipt[]>;
  /** Puts a message for a pulling zone in this zone's outbox, inside the caller's transaction. */
  enqueue<S extends TSchema>(
    trx: AnyTransaction,
    to: ZoneName,
    type: MessageType<S>,
    message: OutgoingMessage<Static<S>>,
  ): Promise<string>;
  /** `enqueue` for several messages of one type, in one statement. */
  enqueueAll<S extends TSchema>(
    trx: AnyTransaction,
    to: ZoneName,
    type: MessageType<S>,
    messages: readonly OutgoingMessage<Static<S>>[],
  ): Promise<string[]>;
  /** Pulls one batch from `from`'s outbox, processes each message once, acknowledges. */
  pull(from: ZoneName, limit?: number): Promise<PullResult>;
  /**
   * Runs `task` every `intervalMs` while the zone runs in the background (start / serve), first
   * soon after start. The function returned runs it now as well, in the background: never two
   * at once (a call while it runs asks for one more round), and close() waits for it.
   */
  every(name: string, intervalMs: number, task: () => Promise<unknown>): () => void;
  /** Starts the periodic tasks (only if the network runs background work). */
  start(log: Logger): void;
  close(): Promise<void>;
}

export interface ZoneGatewayOptions {
  readonly zone: ZoneName;
  readonly network: GatewayNetwork;
  readonly database: Database;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

export function createZoneGateway(options: ZoneGatewayOptions): ZoneGateway {
  const { zone, network, database, audit, clock } = options;
  const keys = network.keysFor(zone);
  const handlers = new Map<string, MessageHandler>();
  const batchHandlers = new Map<string, BatchHandler>();
  const tasks: { name: string; intervalMs: number; run: () => void }[] = [];
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  let log: Logger | undefined;
  let closed = false;

  /** `task` as a trigger: one run at a time, a trigger while it runs makes one more round. */
  function backgroundRun(name: string, task: () => Promise<unknown>): () => void {
    let busy = false;
    let again = false;
    return function run() {
      if (closed) return;
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      const rounds = async () => {
        do {
          again = false;
          await task().catch((error: unknown) =>
            log?.warn(
              { task: name, code: isMachiError(error) ? error.code : 'internal' },
              'gateway task failed',
            ),
          );
        } while (again && !closed);
      };
      const promise = rounds().finally(() => {
        busy = false;
        running.delete(promise);
      });
      running.add(promise);
    };
  }

  const endpoint = hasEndpoint(zone)
    ? createGatewayEndpoint({
        zone,
        keys,
        database,
        audit,
        clock,
        handlerFor: (type, version) => handlers.get(`${type}@${version}`),
        batchHandlerFor: (type, version) => batchHandlers.get(`${type}@${version}`),
      })
    : undefined;

  function envelopeFor<P>(to: ZoneName, type: MessageType, message: OutgoingMessage<P>): Envelope {
    const { envelope } = checkEnvelope({
      id: message.id ?? randomUUID(),
      type: type.type,
      version: type.version,
      from: zone,
      to,
      sentAt: clock.now().toISOString(),
      municipalityCode: message.municipalityCode,
      payload: message.payload,
      ...(message.attachment ? { attachment: attachmentInfo(message.attachment) } : {}),
    });
    return envelope;
  }

  /**
   * Signs a call and sends it; the body of its answer once verified. Neither this nor the
   * senders below is an async function: one keeps its arguments and locals alive until it
   * returns, and a batch's JSON text and its messages (a batch of filings, documents and all)
   * would then wait for the answer too. They outlived the young generation's collections and
   * were promoted, to go only at a full collection: most of what the internet zone promoted
   * under filing load. What waits for the answer here is the signed headers.
   */
  function call(to: ZoneName, path: string, body: string, attached?: readonly Uint8Array[]): Promise<string> {
    const headers = signRequest(keys, clock, { method: 'POST', path, from: zone, to, body });
    const exchange = network.transport.exchange(to, {
      method: 'POST',
      path,
      headers,
      body,
      ...(attached ? { attached } : {}),
    });
    return verifiedAnswer(to, headers[gatewayHeaders.signature] ?? '', exchange);
  }

  async function verifiedAnswer(
    to: ZoneName,
    requestSignature: string,
    exchange: Promise<GatewayResponse>,
  ): Promise<string> {
    const response = await exchange;
    const signed = response.headers[gatewayHeaders.signature] !== undefined;
    if ((response.status >= 200 && response.status < 300) || signed) {
      verifyResponse(
        keys,
        clock,
        { status: response.status, from: to, to: zone, requestSignature, body: response.body },
        response.headers,
      );
    }
    if (response.status >= 200 && response.status < 300) return response.body;
    throw errorFromProblem(to, response);
  }

  const gateway: ZoneGateway = {
    zone,
    endpoint,
    handle(type, handler) {
      const key = `${type.type}@${type.version}`;
      handlers.set(key, handler as MessageHandler);
      batchHandlers.delete(key);
    },
    handleAll(type, handler) {
      const key = `${type.type}@${type.version}`;
      const all = handler as BatchHandler;
      batchHandlers.set(key, all);
      handlers.set(key, async (message, trx, afterCommit) => (await all([message], trx, afterCommit))[0]);
    },
    send(to, type, message) {
      return started(() => {
        requireChannel(zone, to, 'push');
        const envelope = envelopeFor(to, type, message);
        const answer = call(to, gatewayPaths.messages, JSON.stringify(envelope), attachedOf([message]));
        return receiptOf(envelope.id, answer);
      });
    },
    sendAll(to, type, messages) {
      return started(() => {
        requireChannel(zone, to, 'push');
        if (messages.length === 0) return Promise.resolve([]);
        if (messages.length > MAX_BATCH)
          throw new RangeError(`At most ${MAX_BATCH} messages go in one call.`);
        const envelopes = messages.map((message) => envelopeFor(to, type, message));
        const answer = call(
          to,
          gatewayPaths.batch,
          JSON.stringify({ messages: envelopes }),
          attachedOf(messages),
        );
        return receiptsOf(
          envelopes.map((envelope) => envelope.id),
          answer,
        );
      });
    },
    async enqueue(trx, to, type, message) {
      requireChannel(zone, to, 'pull');
      const envelope = envelopeFor(to, type, message);
      await putInOutbox(trx, [envelope], clock);
      return envelope.id;
    },
    async enqueueAll(trx, to, type, messages) {
      requireChannel(zone, to, 'pull');
      if (messages.length === 0) return [];
      const envelopes = messages.map((message) => envelopeFor(to, type, message));
      await putInOutbox(trx, envelopes, clock);
      return envelopes.map((envelope) => envelope.id);
    },
    async pull(from, limit = 20) {
      requireChannel(from, zone, 'pull');
      const body = await call(from, gatewayPaths.pull, JSON.stringify({ limit }));
      const { messages } = parseWire(pullResponseSchema, body);
      const acks: AckRequest = { processed: [], rejected: [] };
      let duplicates = 0;
      for (const raw of messages) {
        let envelope: Envelope;
        try {
          envelope = checkReceived(raw, { from, to: zone }).envelope;
        } catch (error) {
          // A message this zone can never accept (e.g. a version it does not know yet):
          // acknowledged as rejected so it does not come back forever; audited without content.
          const id = (raw as { id?: unknown })?.id;
          if (typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) acks.rejected.push(id);
          await audit.record({
            municipalityCode: null,
            actor: `gateway:${from}`,
            action: 'gateway.refuse',
            target: typeof id === 'string' ? id.slice(0, 36) : undefined,
            outcome: 'failure',
            details: { code: isMachiError(error) ? error.code : 'internal', from },
          });
          continue;
        }
        const handler = handlers.get(`${envelope.type}@${envelope.version}`);
        if (!handler) {
          acks.rejected.push(envelope.id);
          continue;
        }
        // A handler that throws leaves the message un-acked: it comes back after the lease.
        const receipt = await receiveOnce(database, audit, clock, envelope, handler);
        if (receipt.duplicate) duplicates += 1;
        acks.processed.push(envelope.id);
      }
      if (acks.processed.length + acks.rejected.length > 0) {
        parseWire(ackResponseSchema, await call(from, gatewayPaths.ack, JSON.stringify(acks)));
      }
      return { processed: acks.processed.length - duplicates, duplicates, rejected: acks.rejected.length };
    },
    every(name, intervalMs, task) {
      const entry = { name, intervalMs, run: backgroundRun(name, task) };
      tasks.push(entry);
      return entry.run;
    },
    start(startLog) {
      log = startLog;
      if (!network.background) return;
      for (const { intervalMs, run } of tasks) {
        const first = setTimeout(run, Math.min(1_000, intervalMs));
        const repeat = setInterval(run, intervalMs);
        first.unref();
        repeat.unref();
        timers.push(first, repeat);
      }
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.allSettled([...running]);
    },
  };
  return gateway;
}

function attachmentInfo(attachment: { data: Uint8Array; sha256?: string }): AttachmentInfo {
  return { bytes: attachment.data.length, sha256: attachment.sha256 ?? hash('sha256', attachment.data) };
}

/** What a call carries after its JSON: the messages' attachments in order, or nothing if none has one. */
function attachedOf(messages: readonly OutgoingMessage<unknown>[]): Uint8Array[] | undefined {
  const data = messages.flatMap((message) => (message.attachment ? [message.attachment.data] : []));
  const bytes = data.reduce((sum, piece) => sum + piece.length, 0);
  if (bytes > MAX_ATTACHED_BYTES) {
    throw new RangeError(`At most ${MAX_ATTACHED_BYTES} bytes of attachments go in one call.`);
  }
  return data.length > 0 ? data : undefined;
}

/** `start()`, a throw in it coming back as a rejected promise, as from an async function. */
function started<T>(start: () => Promise<T>): Promise<T> {
  try {
    return start();
  } catch (error) {
    return Promise.reject(error);
  }
}

/** A signed receipt, checked to be for the message `id`. */
function receiptFor(id: string, receipt: Static<typeof receiptSchema>): Receipt {
  if (receipt.id !== id) {
    throw new MachiError('gateway-unauthenticated', 'The receipt is for another message.');
  }
  return { id: receipt.id, duplicate: receipt.duplicate, result: (receipt.result ?? null) as JsonValue };
}

async function receiptOf(id: string, answer: Promise<string>): Promise<Receipt> {
  return receiptFor(id, parseWire(receiptSchema, await answer));
}

/** The receipts of a batch's messages `ids`, in their order. */
async function receiptsOf(ids: readonly string[], answer: Promise<string>): Promise<Receipt[]> {
  const { receipts } = parseWire(batchResponseSchema, await answer);
  if (receipts.length !== ids.length) {
    throw new MachiError('gateway-unauthenticated', 'The receipts do not match the messages sent.');
  }
  return ids.map((id, index) => receiptFor(id, receipts[index]!));
}

/** The caller's view of a refusal: the same code the receiving zone used. */
function errorFromProblem(to: ZoneName, response: GatewayResponse): MachiError {
  let problem: { type?: unknown; detail?: unknown; errors?: unknown } = {};
  try {
    problem = JSON.parse(response.body);
  } catch {}
  const code = typeof problem.type === 'string' ? problem.type.replace('/problems/', '') : '';
  const known = [
    'gateway-unauthenticated',
    'gateway-route-forbidden',
    'gateway-message-invalid',
    'not-found',
    'conflict',
  ];
  const detail = `The ${to} zone refused the message: ${typeof problem.detail === 'string' ? problem.detail : `HTTP ${response.status}`}`;
  const extensions = Array.isArray(problem.errors)
    ? { errors: problem.errors, status: response.status }
    : { status: response.status };
  if (known.includes(code)) return new MachiError(code as 'not-found', detail, extensions);
  return new MachiError('gateway-unreachable', detail, extensions);
}
