import { type Static, Type } from 'typebox';
import { defineMessageType } from '../message-type.ts';
import { MAX_BATCH, MAX_BATCH_BYTES } from '../wire.ts';
import { base64Text } from './base64.ts';
import { sha256Hex } from './sha256.ts';

/**
 * A sanitized upload crosses inward in parts (an envelope holds at most 256 KiB): this many
 * bytes a part, base64 in the payload. 512 parts bound a file at 64 MiB.
 */
export const FILE_PART_BYTES = 128 * 1024;
export const MAX_FILE_PARTS = 512;

/** Parts that go in one batch call (gateway.sendAll): their base64 and envelopes within its byte limit. */
export const FILE_PARTS_PER_CALL = Math.min(
  MAX_BATCH,
  Math.floor(MAX_BATCH_BYTES / (Math.ceil(FILE_PART_BYTES / 3) * 4 + 4096)),
);

const uploadId = Type.String({ format: 'uuid', maxLength: 36 });

export const sanitizedFilePartPayload = Type.Object(
  {
    uploadId,
    index: Type.Integer({ minimum: 0, maximum: MAX_FILE_PARTS - 1 }),
    // Empty only as the one part of an empty file.
    data: base64Text(FILE_PART_BYTES),
  },
  { additionalProperties: false },
);
export type SanitizedFilePartPayload = Static<typeof sanitizedFilePartPayload>;

/** One part of a rebuilt file, internet → lgwan. Never an original: those stay in the internet zone. */
export const sanitizedFilePartV1 = defineMessageType({
  type: 'sanitize.file-part',
  version: 1,
  payload: sanitizedFilePartPayload,
  routes: [{ from: 'internet', to: 'lgwan' }],
  tenant: 'required',
});

const line = Type.String({ maxLength: 300 });
/** The sanitizer's report, closed and bounded like every payload that enters from the internet. */
const report = Type.Object(
  {
    detectedType: Type.String({ maxLength: 20, pattern: '^[a-z]+$' }),
    input: Type.Object(
      {
        bytes: Type.Integer({ minimum: 0 }),
        sha256: sha256Hex(),
      },
      { additionalProperties: false },
    ),
    actions: Type.Array(line, { maxItems: 50 }),
    removed: Type.Array(
      Type.Object(
        {
          kind: Type.String({ maxLength: 40 }),
          count: Type.Integer({ minimum: 0 }),
          detail: Type.Optional(line),
        },
        { additionalProperties: false },
      ),
      { maxItems: 200 },
    ),
    warnings: Type.Array(line, { maxItems: 50 }),
    pages: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

/** What a file is, besides its bytes. */
const fileFields = {
  uploadId,
  /** The uploader's pseudonym (a resident's subject id), never a name. */
  uploadedBy: Type.String({ maxLength: 60, pattern: '^resident:[0-9a-f-]{36}$' }),
  receivedAt: Type.String({ format: 'date-time', maxLength: 40 }),
  mediaType: Type.String({ maxLength: 100, pattern: '^[a-z]+/[a-z0-9.+-]+(; charset=utf-8)?$' }),
  report,
};

/** The largest rebuilt file that crosses inward. */
export const MAX_FILE_BYTES = FILE_PART_BYTES * MAX_FILE_PARTS;

export const sanitizedFilePayload = Type.Object(
  {
    ...fileFields,
    bytes: Type.Integer({ minimum: 0, maximum: MAX_FILE_BYTES }),
    sha256: sha256Hex(),
    parts: Type.Integer({ minimum: 1, maximum: MAX_FILE_PARTS }),
  },
  { additionalProperties: false },
);
export type SanitizedFilePayload = Static<typeof sanitizedFilePayload>;

/**
 * A rebuilt file is complete, internet → lgwan, sent after all its parts: lgwan joins them,
 * checks length, hash and type against what is said here, and only then keeps the file.
 */
export const sanitizedFileV1 = defineMessageType({
  type: 'sanitize.file',
  version: 1,
  payload: sanitizedFilePayload,
  routes: [{ from: 'internet', to: 'lgwan' }],
  tenant: 'required',
});

export const sanitizedWholeFilePayload = Type.Object(fileFields, { additionalProperties: false });
export type SanitizedWholeFilePayload = Static<typeof sanitizedWholeFilePayload>;

/**
 * A rebuilt file, whole, internet → lgwan: its bytes are the message's attachment (length and
 * SHA-256 stated in the envelope and checked by the gateway), so a file is one message, not
 * parts of base64 and then a header; several go in one batch call. lgwan checks the content
 * against the media type and keeps the file.
 */
export const sanitizedFileV2 = defineMessageType({
  type: 'sanitize.file',
  version: 2,
  payload: sanitizedWholeFilePayload,
  routes: [{ from: 'internet', to: 'lgwan' }],
  tenant: 'required',
  attachment: { maxBytes: MAX_FILE_BYTES },
});
