import { MachiError } from '../../core/index.ts';
import type { Envelope } from './envelope.ts';
import type { MessageType } from './message-type.ts';

// C0 controls other than TAB, LF and CR; DEL; C1 controls; and the bidi overrides
// that make text display differently from what it is (Trojan Source, CVE-2021-42574).
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what we refuse.
const UNSAFE_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function unsafeStringAt(value: unknown, at: string): string | undefined {
  if (typeof value === 'string') return UNSAFE_TEXT.test(value) ? at : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = unsafeStringAt(item, `${at}/${index}`);
      if (found) return found;
    }
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = unsafeStringAt(key, at) ?? unsafeStringAt(item, `${at}/${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The sanitizer step (無害化) for everything that enters from the internet zone.
 * Text: the payload has already matched its type's closed, bounded schema (see
 * defineMessageType); here control and bidi-override characters are refused.
 * Files cross only as the sanitize module rebuilt them in the internet zone's
 * worker processes (sanitize.file v2, or as bounded base64 parts with v1): their
 * bytes are a message's attachment, bound by its signed length and hash, and lgwan
 * keeps a file only once its content type matches the message (sanitize module,
 * received/). Anything else is refused.
 */
export function sanitizeInbound(envelope: Envelope, _messageType: MessageType): void {
  if (envelope.from !== 'internet') return;
  const at = unsafeStringAt(envelope.payload, '/payload');
  if (at) {
    throw new MachiError('gateway-message-invalid', `Text at ${at} holds control characters.`, {
      errors: [{ path: at, problem: 'must not hold control or bidi-override characters' }],
    });
  }
}
