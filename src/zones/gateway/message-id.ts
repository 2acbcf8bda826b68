import { hash } from 'node:crypto';

/**
 * A message id that is a function of what the message is about (a reply to request X,
 * version 3 of certificate Y): sent twice after a crash or a retry, it is the same
 * message, and the receiver's inbox processes it once. Shaped as a UUID version 8
 * (RFC 9562 §5.8: custom), variant 10.
 */
export function derivedMessageId(seed: string): string {
  const hex = hash('sha256', seed);
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
