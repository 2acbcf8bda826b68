/**
 * Tells an Office package from other ZIP files, by content, never by file name: the package
 * relationships name the main part (ECMA-376 Part 2 §9.3) and [Content_Types].xml gives its
 * type (§10.1.2.2). Used by the type detector on every ZIP.
 */
import { DEFAULT_LIMITS, type SanitizeLimits } from '../types.ts';
import { openZip } from '../zip/index.ts';
import { findMainPart } from './package.ts';

export type OoxmlKind = 'docx' | 'xlsx' | 'docm' | 'xlsm';

/**
 * 'docx' | 'xlsx' | 'docm' | 'xlsm' for a Word or Excel package (templates count as documents),
 * undefined for anything else. Never throws: a ZIP that is malformed, or breaks a limit, is not
 * recognised as Office here and is refused later as a plain ZIP or by the OOXML sanitizer.
 */
export function detectOoxml(
  input: Uint8Array,
  limits: SanitizeLimits = DEFAULT_LIMITS,
): OoxmlKind | undefined {
  try {
    return findMainPart(openZip(input, limits))?.kind;
  } catch {
    return undefined;
  }
}
