/** The encodings a text upload may come in: Japanese offices still write CP932 CSV. */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'shift_jis' | 'cp932';

export interface DecodedText {
  readonly text: string;
  readonly encoding: TextEncoding;
}

// C0 controls other than TAB, LF, FF, CR; and SUB (0x1a), which old DOS files end with.
// biome-ignore lint/suspicious/noControlCharactersInRegex: counting exactly these.
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u0019\u001b-\u001f\u007f]/g;

function decodeWith(label: string, bytes: Uint8Array, partial: boolean): string | undefined {
  try {
    // With `stream`, a multi-byte character cut by the sample's end is not an error.
    return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes, { stream: partial });
  } catch {
    return undefined;
  }
}

/**
 * CP932 is Shift_JIS with NEC and IBM extensions (①, Ⅰ, 髙…); WHATWG's decoder reads both.
 * The report says which one the file used: lead bytes 0x87 (NEC row 13) and 0xED–0xEE,
 * 0xFA–0xFC (IBM extensions) occur only in CP932.
 */
function shiftJisVariant(bytes: Uint8Array): 'shift_jis' | 'cp932' {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x87 || b === 0xed || b === 0xee || (b >= 0xfa && b <= 0xfc)) return 'cp932';
    // Skip the trail byte of a double-byte character.
    if ((b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc)) i++;
  }
  return 'shift_jis';
}

/** True when the text is text: no NUL, and control characters at most one in a hundred. */
function plausible(text: string): boolean {
  if (text.includes('\u0000')) return false;
  const controls = text.match(CONTROL)?.length ?? 0;
  return controls <= 1 + text.length / 100;
}

/**
 * Decodes bytes that should be text: a byte-order mark decides; else valid UTF-8; else
 * Shift_JIS/CP932. Undefined when none fits (binary data, or an encoding Machi does not read).
 * `partial`: the bytes are the start of a longer file.
 */
export function decodeText(bytes: Uint8Array, options: { partial?: boolean } = {}): DecodedText | undefined {
  const partial = options.partial ?? false;
  const attempt = (label: string, encoding: TextEncoding, from = 0): DecodedText | undefined => {
    const text = decodeWith(label, bytes.subarray(from), partial);
    return text !== undefined && plausible(text) ? { text, encoding } : undefined;
  };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return attempt('utf-8', 'utf-8-bom', 3);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return attempt('utf-16le', 'utf-16le', 2);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return attempt('utf-16be', 'utf-16be', 2);
  return attempt('utf-8', 'utf-8') ?? attempt('shift_jis', shiftJisVariant(bytes));
}
