import { randomFillSync } from 'node:crypto';

// Random bytes drawn from the CSPRNG in blocks and handed out once each, as Node does for
// randomUUID: every sign-in makes two tokens, and a randomBytes call per token (a trip into
// OpenSSL each) cost more than all the rest of making the session.
const BLOCK = 4096;
const TOKEN_BYTES = 32;
const block = Buffer.allocUnsafeSlow(BLOCK);
let offset = BLOCK;

/** 32 random bytes as base64url (43 characters): what `randomToken` of identity makes, from a block. */
export function pooledToken(): string {
  if (offset + TOKEN_BYTES > BLOCK) {
    randomFillSync(block);
    offset = 0;
  }
  const token = block.toString('base64url', offset, offset + TOKEN_BYTES);
  // Bytes given out are not left lying in memory.
  block.fill(0, offset, offset + TOKEN_BYTES);
  offset += TOKEN_BYTES;
  return token;
}
