/** Small byte helpers shared by the format walkers. */

/** True when `bytes` begins with the ASCII text `ascii` (signatures such as "Exif\0"). */
export function startsWith(bytes: Uint8Array, ascii: string): boolean {
  if (bytes.length < ascii.length) return false;
  for (let i = 0; i < ascii.length; i++) if (bytes[i] !== ascii.charCodeAt(i)) return false;
  return true;
}

/** True when `needle` occurs anywhere in `haystack` (tests use it to look for leftovers). */
export function contains(haystack: Uint8Array, needle: Uint8Array | string): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle) >= 0;
}
