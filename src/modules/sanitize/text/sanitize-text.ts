import { decodeText } from '../detect/decode-text.ts';
import { type Rebuilt, Refusal, type SanitizeLimits } from '../types.ts';
import { cleanText, encodingAction } from './clean-text.ts';

/** Plain text: decoded (UTF-8, UTF-16 or Shift_JIS/CP932), cleaned, written as UTF-8 with LF. */
export function sanitizeText(input: Uint8Array, limits: SanitizeLimits): Rebuilt {
  const decoded = decodeText(input);
  if (!decoded) {
    throw new Refusal('encoding-unknown', 'The text is neither UTF-8, UTF-16 nor Shift_JIS (CP932).');
  }
  const { text, removed } = cleanText(decoded, limits);
  return {
    output: new TextEncoder().encode(text === '' || text.endsWith('\n') ? text : `${text}\n`),
    mediaType: 'text/plain; charset=utf-8',
    actions: [encodingAction(decoded), 'wrote UTF-8 text with LF line ends'],
    removed,
    warnings: [],
  };
}
