import { Type } from 'typebox';

/** A SHA-256 digest as the zones write it: 64 lower-case hex digits. */
export const sha256Hex = () => Type.String({ maxLength: 64, pattern: '^[0-9a-f]{64}$' });
