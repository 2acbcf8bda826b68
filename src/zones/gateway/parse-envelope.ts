import { createHash } from 'node:crypto';
import { Compile } from 'typebox/compile';
import { isLgCode, type LgCode, MachiError, type ZoneName } from '../../core/index.ts';
import { messageTypes } from './catalogue.ts';
import { requireChannel } from './channels.ts';
import { type Envelope, envelopeSchema, MAX_ENVELOPE_BYTES } from './envelope.ts';
import type { MessageType } from './message-type.ts';
import { sanitizeInbound } from './sanitize.ts';
import { batchRequestSchema, MAX_BATCH_BYTES, parseWire } from './wire.ts';

const envelopeCheck = Compile(envelopeSchema);

function invalid(detail: string, errors: { path: string; problem: string }[] = []): MachiError {
  return new MachiError('gateway-message-invalid', detail, errors.length > 0 ? { errors } : {});
}

/**
 * Every check a message passes, at send and again at receive: size, envelope
 * shape, known type and version, allowed route, payload schema, tenant, and the
 * sanitizer for what comes from the internet. Returns the envelope and its type.
 */
export function checkEnvelope(
  value: unknown,
  catalogue: readonly MessageType[] = messageTypes,
  authenticated?: { readonly from: ZoneName; readonly to: ZoneName },
): { envelope: Envelope; messageType: MessageType } {
  if (!envelopeCheck.Check(value)) {
    const errors = envelopeCheck
      .Errors(value)
      .map((error) => ({ path: error.instancePath || '/', problem: error.message }));
    throw invalid('The envelope does not match the gateway envelope schema.', errors);
  }
  if (authenticated && (value.from !== authenticated.from || value.to !== authenticated.to)) {
    // The key proves which pair sent it; the envelope may not claim another zone. Checked first:
    // who is speaking matters before what they say.
    throw new MachiError(
      'gateway-unauthenticated',
      `The message claims to go from ${value.from} to ${value.to}, but was authenticated from ${authenticated.from} to ${authenticated.to}.`,
    );
  }
  const messageType = catalogue.find((entry) => entry.type === value.type && entry.version === value.version);
  if (!messageType) throw invalid(`Unknown message type ${value.type} v${value.version}.`);
  requireChannel(value.from, value.to);
  if (!messageType.routes.some((route) => route.from === value.from && route.to === value.to)) {
    throw new MachiError(
      'gateway-route-forbidden',
      `${value.type} v${value.version} may not go from ${value.from} to ${value.to}.`,
    );
  }
  if (value.municipalityCode !== null && !isLgCode(value.municipalityCode)) {
    throw invalid('municipalityCode is not a valid 地方公共団体コード.', [
      { path: '/municipalityCode', problem: 'must be a valid 地方公共団体コード' },
    ]);
  }
  if (messageType.tenant === 'required' && value.municipalityCode === null) {
    throw invalid(`${value.type} must name a municipality.`, [
      { path: '/municipalityCode', problem: 'is required' },
    ]);
  }
  const declared = messageType.attachment;
  if (!declared !== (value.attachment === undefined)) {
    throw invalid(
      declared
        ? `${value.type} v${value.version} carries an attachment, and the envelope states none.`
        : `${value.type} v${value.version} carries no attachment.`,
      [{ path: '/attachment', problem: declared ? 'is required' : 'must not be present' }],
    );
  }
  if (declared && value.attachment!.bytes > declared.maxBytes) {
    throw invalid(`The attachment is larger than the ${declared.maxBytes} bytes ${value.type} allows.`, [
      { path: '/attachment/bytes', problem: `must be at most ${declared.maxBytes}` },
    ]);
  }
  if (!messageType.check(value.payload)) {
    const errors = messageType.errors(value.payload).map((e) => ({ ...e, path: `/payload${e.path}` }));
    throw invalid(`The payload does not match ${value.type} v${value.version}.`, errors);
  }
  const envelope: Envelope = { ...value, municipalityCode: value.municipalityCode as LgCode | null };
  sanitizeInbound(envelope, messageType);
  return { envelope, messageType };
}

/**
 * Parses a received body into a checked envelope addressed to `to`, sent by the authenticated
 * `from`, with its attachment's bytes from `attached` (what the call carried after its JSON).
 */
export function parseEnvelope(
  body: string,
  expected: { readonly from: ZoneName; readonly to: ZoneName },
  catalogue: readonly MessageType[] = messageTypes,
  attached: readonly Uint8Array[] = [],
): { envelope: Envelope; messageType: MessageType } {
  if (Buffer.byteLength(body) > MAX_ENVELOPE_BYTES) {
    throw invalid(`The message is larger than ${MAX_ENVELOPE_BYTES} bytes.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw invalid('The message is not valid JSON.');
  }
  const checked = checkReceived(value, expected, catalogue);
  const [envelope] = withAttachments([checked.envelope], attached);
  return { envelope: envelope!, messageType: checked.messageType };
}

/**
 * Parses a received batch (gateway.sendAll) into checked envelopes, each held to what a single
 * message is (its size, shape, route and sender), all of one type and version. Ids must differ:
 * one id is one message, and a batch that carries it twice is refused rather than half kept.
 */
export function parseEnvelopeBatch(
  body: string,
  expected: { readonly from: ZoneName; readonly to: ZoneName },
  catalogue: readonly MessageType[] = messageTypes,
  attached: readonly Uint8Array[] = [],
): Envelope[] {
  if (Buffer.byteLength(body) > MAX_BATCH_BYTES) {
    throw invalid(`The batch is larger than ${MAX_BATCH_BYTES} bytes.`);
  }
  const { messages } = parseWire(batchRequestSchema, body);
  const envelopes: Envelope[] = [];
  const ids = new Set<string>();
  for (const [index, value] of messages.entries()) {
    if (Buffer.byteLength(JSON.stringify(value)) > MAX_ENVELOPE_BYTES) {
      throw invalid(`Message ${index} is larger than ${MAX_ENVELOPE_BYTES} bytes.`);
    }
    const { envelope } = checkReceived(value, expected, catalogue);
    if (ids.has(envelope.id)) throw invalid(`Message ${index} repeats the id ${envelope.id}.`);
    const first = envelopes[0] ?? envelope;
    if (envelope.type !== first.type || envelope.version !== first.version) {
      throw invalid(`Message ${index} is of another type than the first: a batch carries one.`);
    }
    ids.add(envelope.id);
    envelopes.push(envelope);
  }
  return withAttachments(envelopes, attached);
}

/**
 * The attachments of a call, one after another in the order of its envelopes (in pieces, as
 * they arrived), each given to its envelope once its length and SHA-256 are what the envelope
 * states: the call's signature covers its JSON, and through these two the bytes. Bytes left
 * over, or too few, refuse the call.
 */
function withAttachments(envelopes: readonly Envelope[], attached: readonly Uint8Array[]): Envelope[] {
  const stated = envelopes.reduce((sum, envelope) => sum + (envelope.attachment?.bytes ?? 0), 0);
  const carried = attached.reduce((sum, piece) => sum + piece.length, 0);
  if (stated !== carried) {
    throw invalid(`The call carries ${carried} bytes of attachments; its messages state ${stated}.`);
  }
  const next = reader(attached);
  return envelopes.map((envelope, index) => {
    if (!envelope.attachment) return envelope;
    const bytes = next(envelope.attachment.bytes);
    const digest = createHash('sha256');
    for (const piece of bytes) digest.update(piece);
    if (digest.digest('hex') !== envelope.attachment.sha256) {
      throw invalid(`The attachment of message ${index} does not have the SHA-256 its envelope states.`);
    }
    return { ...envelope, attached: bytes };
  });
}

/** Reads pieces that follow one another as one run of bytes, each run as views of the pieces. */
function reader(pieces: readonly Uint8Array[]): (length: number) => Uint8Array[] {
  let piece = 0;
  let at = 0;
  return (length) => {
    const parts: Uint8Array[] = [];
    for (let left = length; left > 0; ) {
      const current = pieces[piece]!;
      const part = current.subarray(at, at + left);
      parts.push(part);
      left -= part.length;
      at += part.length;
      if (at === current.length) {
        piece += 1;
        at = 0;
      }
    }
    return parts;
  };
}
/** Checks a received envelope, parsed already (a pulled batch), against who sent it and who receives it. */
export function checkReceived(
  value: unknown,
  expected: { readonly from: ZoneName; readonly to: ZoneName },
  catalogue: readonly MessageType[] = messageTypes,
): { envelope: Envelope; messageType: MessageType } {
  return checkEnvelope(value, catalogue, expected);
}
