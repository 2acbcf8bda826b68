/**
 * The notice's typeface: BIZ UD明朝 (Morisawa's universal-design Mincho, SIL OFL 1.1), the
 * Mincho many Japanese municipalities already set their documents in for legibility.
 * It comes from the npm package @expo-google-fonts/biz-udmincho as plain TrueType files
 * (no WOFF2, no split subsets), so it is on every machine that ran `npm ci` and never
 * depends on the fonts a server happens to have. pdf-lib embeds only the glyphs a notice
 * uses (subset), which keeps a notice in the tens of kilobytes — once aligned-glyphs.ts has
 * worked around a bug of the subsetter.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { MachiError } from '../../../core/index.ts';
import { withAlignedGlyphs } from './aligned-glyphs.ts';

const require = createRequire(import.meta.url);
const files = {
  regular: '@expo-google-fonts/biz-udmincho/400Regular/BIZUDMincho_400Regular.ttf',
  bold: '@expo-google-fonts/biz-udmincho/700Bold/BIZUDMincho_700Bold.ttf',
} as const;

export type NoticeFontWeight = keyof typeof files;

export interface NoticeFontFiles {
  readonly regular: Uint8Array;
  readonly bold: Uint8Array;
  /** Whether the regular weight has a glyph for the code point (both weights share a repertoire). */
  readonly covers: (codePoint: number) => boolean;
}

let loading: Promise<NoticeFontFiles> | undefined;

/** The two TrueType files (≈ 13 MB together), read once per process and shared by every notice. */
export function noticeFontFiles(): Promise<NoticeFontFiles> {
  loading ??= (async () => {
    const [regular, bold] = (
      await Promise.all([readFile(require.resolve(files.regular)), readFile(require.resolve(files.bold))])
    ).map(withAlignedGlyphs) as [Uint8Array, Uint8Array];
    const parsed = fontkit.create(regular);
    return { regular, bold, covers: (codePoint) => parsed.hasGlyphForCodePoint(codePoint) };
  })();
  loading.catch(() => {
    loading = undefined; // a failed read is retried by the next notice, not cached
  });
  return loading;
}

/**
 * Variation selectors (IVS, U+E0100…; SVS, U+FE00…) pick a glyph variant of the character
 * before them; the font has no variants, so they go and the base character stays.
 */
export function withoutVariationSelectors(text: string): string {
  return text.replace(/[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu, '');
}

/**
 * Refuses text the font cannot show. A missing glyph would print as blank space, and a
 * name or a reason with a silent gap is worse than no notice: the clerk must rewrite it
 * (e.g. a 外字 in a name with its registered substitute). The message lists code points only.
 */
export function checkCoverage(text: string, fonts: NoticeFontFiles): void {
  const missing = new Set<string>();
  for (const character of text) {
    const codePoint = character.codePointAt(0) ?? 0;
    if (character === '\n' || fonts.covers(codePoint)) continue;
    missing.add(`U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`);
  }
  if (missing.size > 0) {
    throw new MachiError(
      'validation-failed',
      `The notice font has no glyph for ${[...missing].slice(0, 10).join(', ')}; use a substitute character.`,
    );
  }
}
