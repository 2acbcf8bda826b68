import { createHash, randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { isMachiError } from '../../src/core/index.ts';
import { messageTypes } from '../../src/zones/gateway/catalogue.ts';
import { MAX_ENVELOPE_BYTES } from '../../src/zones/gateway/envelope.ts';
import { defineMessageType } from '../../src/zones/gateway/message-type.ts';
import { FILE_PART_BYTES, sanitizedFilePartV1 } from '../../src/zones/gateway/messages/sanitized-file.ts';
import { checkEnvelope, parseEnvelope, parseEnvelopeBatch } from '../../src/zones/gateway/parse-envelope.ts';
import { MAX_BATCH_BYTES } from '../../src/zones/gateway/wire.ts';

function statistics(overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    type: 'registry.population-statistics',
    version: 1,
    from: 'mynumber',
    to: 'lgwan',
    sentAt: '2025-04-01T00:00:00.000Z',
    municipalityCode: '131016',
    payload: {
      asOf: '2025-04-01',
      computedAt: '2025-04-01T00:00:00.000Z',
      inReplyTo: null,
      total: 3,
      bySex: { male: 1, female: 2, notApplicable: 0 },
      byAgeBand: Array.from({ length: 21 }, (_, i) => ({
        fromAge: i * 5,
        toAge: i === 20 ? null : i * 5 + 4,
        count: i === 0 ? 3 : 0,
      })),
    },
    ...overrides,
  };
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (isMachiError(error)) return error.code;
    throw error;
  }
  return undefined;
}

// A message type from the internet, only for these tests: the catalogue has none yet.
const feedbackV1 = defineMessageType({
  type: 'test.feedback',
  version: 1,
  payload: Type.Object({ text: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
  routes: [{ from: 'internet', to: 'lgwan' }],
  tenant: 'required',
});
const withFeedback = [...messageTypes, feedbackV1];

describe('gateway envelope checks', () => {
  it('accepts a well-formed message on its route', () => {
    const { envelope, messageType } = checkEnvelope(statistics());
    expect(messageType.type).toBe('registry.population-statistics');
    expect(envelope.municipalityCode).toBe('131016');
  });

  it('refuses an unknown type or version', () => {
    expect(codeOf(() => checkEnvelope(statistics({ type: 'registry.no-such-thing' })))).toBe(
      'gateway-message-invalid',
    );
    expect(codeOf(() => checkEnvelope(statistics({ version: 2 })))).toBe('gateway-message-invalid');
    expect(codeOf(() => checkEnvelope(statistics({ version: 0 })))).toBe('gateway-message-invalid');
    expect(codeOf(() => checkEnvelope(statistics({ version: '1' })))).toBe('gateway-message-invalid');
  });

  it('refuses a payload that does not match, naming the path but not the value', () => {
    const payload = { ...statistics().payload, total: -1, extra: 'Yamada Taro' };
    try {
      checkEnvelope(statistics({ payload }));
      expect.unreachable();
    } catch (error) {
      expect(isMachiError(error) && error.code).toBe('gateway-message-invalid');
      const text = JSON.stringify(isMachiError(error) ? error.extensions : {});
      expect(text).toContain('/payload');
      expect(text).not.toContain('Yamada');
    }
    const shortBands = { ...statistics().payload, byAgeBand: [] };
    expect(codeOf(() => checkEnvelope(statistics({ payload: shortBands })))).toBe('gateway-message-invalid');
  });

  it('refuses envelopes with missing, extra or malformed fields', () => {
    const { id: _id, ...noId } = statistics();
    expect(codeOf(() => checkEnvelope(noId))).toBe('gateway-message-invalid');
    expect(codeOf(() => checkEnvelope({ ...statistics(), secret: 1 }))).toBe('gateway-message-invalid');
    expect(codeOf(() => checkEnvelope(statistics({ id: 'not-a-uuid' })))).toBe('gateway-message-invalid');
    expect(codeOf(() => checkEnvelope(statistics({ from: 'partner' })))).toBe('gateway-message-invalid');
    expect(codeOf(() => checkEnvelope(null))).toBe('gateway-message-invalid');
  });

  it('checks the municipality: a valid code, and one is required for tenant messages', () => {
    expect(codeOf(() => checkEnvelope(statistics({ municipalityCode: '131017' })))).toBe(
      'gateway-message-invalid',
    );
    expect(codeOf(() => checkEnvelope(statistics({ municipalityCode: null })))).toBe(
      'gateway-message-invalid',
    );
  });

  it('refuses a message on a route its type does not allow, and routes that do not exist', () => {
    expect(codeOf(() => checkEnvelope(statistics({ from: 'lgwan', to: 'mynumber' })))).toBe(
      'gateway-route-forbidden',
    );
    expect(codeOf(() => checkEnvelope(statistics({ from: 'internet', to: 'mynumber' })))).toBe(
      'gateway-route-forbidden',
    );
    expect(codeOf(() => checkEnvelope(statistics({ from: 'lgwan', to: 'internet' })))).toBe(
      'gateway-route-forbidden',
    );
  });

  it('refuses oversize and non-JSON bodies before parsing them', () => {
    const big = JSON.stringify(statistics()) + ' '.repeat(MAX_ENVELOPE_BYTES);
    expect(codeOf(() => parseEnvelope(big, { from: 'mynumber', to: 'lgwan' }))).toBe(
      'gateway-message-invalid',
    );
    expect(codeOf(() => parseEnvelope('{"id":', { from: 'mynumber', to: 'lgwan' }))).toBe(
      'gateway-message-invalid',
    );
  });

  it('refuses an envelope that claims another sender than the key proved', () => {
    const body = JSON.stringify(statistics());
    expect(codeOf(() => parseEnvelope(body, { from: 'internet', to: 'lgwan' }))).toBe(
      'gateway-unauthenticated',
    );
    expect(parseEnvelope(body, { from: 'mynumber', to: 'lgwan' }).envelope.from).toBe('mynumber');
  });
});

describe('sanitizer step for messages from the internet', () => {
  const feedback = (text: string) => ({
    ...statistics({ type: 'test.feedback', from: 'internet', to: 'lgwan' }),
    payload: { text },
  });

  it('lets schema-valid plain text through, including Japanese and newlines', () => {
    expect(checkEnvelope(feedback('ごみの収集日を\n教えてください'), withFeedback).envelope.payload).toEqual({
      text: 'ごみの収集日を\n教えてください',
    });
  });

  it('refuses control and bidi-override characters, and text longer than the schema allows', () => {
    expect(codeOf(() => checkEnvelope(feedback('a\u0000b'), withFeedback))).toBe('gateway-message-invalid');
    expect(codeOf(() => checkEnvelope(feedback('abc\u202edcba'), withFeedback))).toBe(
      'gateway-message-invalid',
    );
    expect(codeOf(() => checkEnvelope(feedback('x'.repeat(201)), withFeedback))).toBe(
      'gateway-message-invalid',
    );
  });

  it("takes a file part's bytes only as canonical base64 within the part's size", () => {
    const part = (data: string) => ({ uploadId: randomUUID(), index: 0, data });
    const accepted = (data: string) => sanitizedFilePartV1.check(part(data));
    const bytes = Buffer.from('無害化された写真の一部');
    expect(accepted(bytes.toString('base64'))).toBe(true);
    expect(accepted('')).toBe(true); // the one part of an empty file
    expect(accepted(Buffer.alloc(FILE_PART_BYTES, 0xff).toString('base64'))).toBe(true);
    expect(accepted(Buffer.alloc(FILE_PART_BYTES + 3).toString('base64'))).toBe(false);
    // Not the alphabet, whitespace, URL-safe letters, padding missing or misplaced, bits left over.
    for (const bad of ['QUJD\u0000', 'QU JD', 'QUJD\n', 'ab-_', 'QUI', 'QQ=A', 'QQ===', 'QR==', 'あいうえ']) {
      expect(accepted(bad), bad).toBe(false);
    }
  });

  it('refuses to define an internet message type whose schema is open or unbounded', () => {
    const base = {
      type: 'test.loose',
      version: 1,
      routes: [{ from: 'internet', to: 'lgwan' }],
      tenant: 'none',
    } as const;
    expect(() =>
      defineMessageType({ ...base, payload: Type.Object({ text: Type.String({ maxLength: 9 }) }) }),
    ).toThrow(/additionalProperties/);
    expect(() =>
      defineMessageType({
        ...base,
        payload: Type.Object({ text: Type.String() }, { additionalProperties: false }),
      }),
    ).toThrow(/maxLength/);
    expect(() =>
      defineMessageType({
        ...base,
        payload: Type.Object({ list: Type.Array(Type.Integer()) }, { additionalProperties: false }),
      }),
    ).toThrow(/maxItems/);
    expect(() =>
      defineMessageType({
        ...base,
        payload: Type.Object({}, { additionalProperties: false }),
        routes: [{ from: 'internet', to: 'mynumber' }],
      }),
    ).toThrow(/no route/);
  });
});

describe('batch checks (parseEnvelopeBatch)', () => {
  const from = { from: 'mynumber', to: 'lgwan' } as const;
  const batch = (...messages: unknown[]) => JSON.stringify({ messages });

  it('takes messages of one type, each checked as a single one', () => {
    expect(parseEnvelopeBatch(batch(statistics(), statistics()), from)).toHaveLength(2);
    expect(codeOf(() => parseEnvelopeBatch(batch(statistics(), statistics({ version: 0 })), from))).toBe(
      'gateway-message-invalid',
    );
  });

  it('refuses an empty batch, a body over the batch limit and a message over the single limit', () => {
    expect(codeOf(() => parseEnvelopeBatch(batch(), from))).toBe('gateway-message-invalid');
    const big = statistics({ payload: { note: 'x'.repeat(MAX_ENVELOPE_BYTES) } });
    expect(() => parseEnvelopeBatch(batch(statistics(), big), from)).toThrow(/Message 1 is larger than/);
    const overBatch = `${batch(statistics())}${' '.repeat(MAX_BATCH_BYTES)}`;
    expect(() => parseEnvelopeBatch(overBatch, from)).toThrow(/larger than/);
  });
});

describe('attachments: bytes after the JSON, bound to their envelope by length and SHA-256', () => {
  const from = { from: 'internet', to: 'lgwan' } as const;
  const scanV1 = defineMessageType({
    type: 'test.scan',
    version: 1,
    payload: Type.Object({ name: Type.String({ maxLength: 20 }) }, { additionalProperties: false }),
    routes: [{ from: 'internet', to: 'lgwan' }],
    tenant: 'required',
    attachment: { maxBytes: 16 },
  });
  const catalogue = [...withFeedback, scanV1];
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const scan = (data: string, overrides: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    type: 'test.scan',
    version: 1,
    from: 'internet',
    to: 'lgwan',
    sentAt: '2025-04-01T00:00:00.000Z',
    municipalityCode: '131016',
    payload: { name: 'scan' },
    attachment: { bytes: Buffer.byteLength(data), sha256: sha256(data) },
    ...overrides,
  });
  const batch = (...messages: unknown[]) => JSON.stringify({ messages });
  const bytes = (...pieces: string[]) => pieces.map((piece) => new TextEncoder().encode(piece));

  it('gives each envelope its own bytes, in the order of the envelopes', () => {
    const envelopes = parseEnvelopeBatch(
      batch(scan('first'), scan('second!')),
      from,
      catalogue,
      bytes('firstsecond!'),
    );
    expect(envelopes.map((envelope) => Buffer.concat(envelope.attached!).toString())).toEqual([
      'first',
      'second!',
    ]);
    // In pieces as they arrived: each attachment is views of the pieces it lies in, never a copy.
    const across = parseEnvelopeBatch(
      batch(scan('first'), scan('second!')),
      from,
      catalogue,
      bytes('fir', 'stsec', 'ond!'),
    );
    expect(
      across.map((envelope) => envelope.attached!.map((piece) => Buffer.from(piece).toString())),
    ).toEqual([
      ['fir', 'st'],
      ['sec', 'ond!'],
    ]);
    const { envelope } = parseEnvelope(JSON.stringify(scan('alone')), from, catalogue, bytes('alone'));
    expect(Buffer.concat(envelope.attached!).toString()).toBe('alone');
  });

  it('refuses bytes that are not what the envelopes state: too many, too few, or another hash', () => {
    const two = batch(scan('first'), scan('second'));
    for (const attached of ['firstsecond+', 'firstsecon', 'firstsecont']) {
      expect(() => parseEnvelopeBatch(two, from, catalogue, bytes(attached)), attached).toThrow(
        /bytes of attachments|does not have the SHA-256/,
      );
    }
    // None at all, where one is stated; and bytes where none is stated.
    expect(codeOf(() => parseEnvelope(JSON.stringify(scan('x')), from, catalogue))).toBe(
      'gateway-message-invalid',
    );
    const text = JSON.stringify({
      ...statistics({ from: 'internet' }),
      type: 'test.feedback',
      payload: { text: 'hi' },
    });
    expect(() => parseEnvelope(text, from, catalogue, bytes('x'))).toThrow(/bytes of attachments/);
  });

  it('holds each type to its declaration: an attachment where it carries one, within its size', () => {
    expect(() => checkEnvelope(scan('x', { attachment: undefined }), catalogue)).toThrow(
      /carries an attachment/,
    );
    const feedback = { ...scan('x'), type: 'test.feedback', payload: { text: 'hi' } };
    expect(() => checkEnvelope(feedback, catalogue)).toThrow(/carries no attachment/);
    expect(() => checkEnvelope(scan('x'.repeat(17)), catalogue)).toThrow(/larger than the 16 bytes/);
    expect(() =>
      checkEnvelope(scan('x', { attachment: { bytes: 1, sha256: 'not a hash' } }), catalogue),
    ).toThrow(/does not match the gateway envelope schema/);
  });

  it('lets only pushed types carry one: an outbox row holds JSON', () => {
    expect(() =>
      defineMessageType({
        type: 'test.pulled-scan',
        version: 1,
        payload: Type.Object({}, { additionalProperties: false }),
        routes: [{ from: 'lgwan', to: 'internet' }],
        tenant: 'none',
        attachment: { maxBytes: 16 },
      }),
    ).toThrow(/delivered by pull, not push/);
  });
});
