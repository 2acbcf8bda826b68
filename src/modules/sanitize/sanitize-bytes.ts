import { ALLOWED_TYPES, detectType } from './detect/detect-type.ts';
import { sanitizeImage } from './image/index.ts';
import { detectOoxml, sanitizeOoxml } from './ooxml/index.ts';
import { sanitizePdf } from './pdf/index.ts';
import { sanitizeArchive } from './sanitize-archive.ts';
import { sanitizeCsv } from './text/sanitize-csv.ts';
import { sanitizeText } from './text/sanitize-text.ts';
import { type DetectedType, type Rebuilt, Refusal, type SanitizeOptions } from './types.ts';
import { looksLikeZip, openZip } from './zip/index.ts';

const REFUSED_BECAUSE: Partial<Record<DetectedType, string>> = {
  svg: 'SVG can carry scripts and is not accepted; send it as PNG or PDF.',
  html: 'HTML can carry scripts and is not accepted; send it as PDF.',
  executable: 'Programs are not accepted.',
  script: 'Scripts are not accepted.',
  ole: 'Legacy Office files (.doc, .xls) and password-protected Office files are not accepted; save as .docx/.xlsx or PDF.',
  gif: 'GIF is not accepted; send PNG or JPEG.',
  webp: 'WebP is not accepted; send PNG or JPEG.',
  zip: 'Archives are not accepted for this procedure.',
  unknown: 'The file is of no type Machi accepts (PDF, JPEG, PNG, TIFF, HEIF, DOCX, XLSX, CSV, text).',
};

/** The type of the bytes, looking inside ZIP containers for an Office package. */
export function detectFileType(input: Uint8Array, limits: SanitizeOptions['limits']): DetectedType {
  const type = detectType(input);
  return type === 'zip' ? (detectOoxml(input, limits) ?? 'zip') : type;
}

/** Refuses a file over the size limit before anything parses it. */
export function checkSize(input: { readonly length: number }, options: SanitizeOptions): void {
  if (input.length > options.limits.maxBytes) {
    throw new Refusal(
      'too-large',
      `The file has ${input.length} bytes; at most ${options.limits.maxBytes} are accepted.`,
    );
  }
}

/**
 * One file of a known type, in this process: rebuilt by its type's sanitizer, or refused.
 * Runs inside a sanitizer worker (see worker/), never in a zone's own process.
 */
export async function rebuildFile(
  type: DetectedType,
  input: Uint8Array,
  options: SanitizeOptions,
): Promise<Rebuilt> {
  const { limits } = options;
  switch (type) {
    case 'pdf':
      return sanitizePdf(input, { limits, mode: options.pdfMode });
    case 'jpeg':
    case 'png':
    case 'tiff':
    case 'heif':
      return sanitizeImage(input, type, limits);
    case 'docx':
    case 'xlsx':
    case 'docm':
    case 'xlsm':
      // Pictures inside a document are re-encoded like uploaded ones.
      return sanitizeOoxml(input, limits, {
        sanitizeImage: async (bytes, imageType) => (await sanitizeImage(bytes, imageType, limits)).output,
      });
    case 'csv':
      return sanitizeCsv(input, limits);
    case 'text':
      return sanitizeText(input, limits);
    case 'zip':
      if (options.allowArchives) {
        // Inside, archives are not allowed again: nesting is walked by the archive itself.
        const inner = { ...options, allowArchives: false };
        return sanitizeArchive(
          input,
          options,
          (bytes) => detectFileType(bytes, limits),
          (entryType, bytes) => rebuildFile(entryType, bytes, inner),
        );
      }
      // A broken or oversized ZIP says so (more use to the sender than "no archives"); only
      // its directory is read, nothing is inflated for a file about to be refused anyway.
      if (looksLikeZip(input)) openZip(input, limits);
      throw new Refusal('type-not-allowed', REFUSED_BECAUSE.zip!);
    default:
      if (ALLOWED_TYPES.has(type)) throw new Error(`no sanitizer for ${type}`);
      throw new Refusal('type-not-allowed', REFUSED_BECAUSE[type] ?? REFUSED_BECAUSE.unknown!);
  }
}
