/**
 * Namespace URIs, content types and relationship types of Office Open XML. Each namespace is a
 * set: the Transitional URI (ECMA-376 Part 1) and the Strict one (ISO/IEC 29500 Strict), so a
 * Strict document gets the same treatment.
 */
const set = (...uris: string[]): ReadonlySet<string> => new Set(uris);

export const NS = {
  w: set(
    'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
    'http://purl.oclc.org/ooxml/wordprocessingml/main',
  ),
  s: set(
    'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
    'http://purl.oclc.org/ooxml/spreadsheetml/main',
  ),
  r: set(
    'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
    'http://purl.oclc.org/ooxml/officeDocument/relationships',
  ),
  a: set(
    'http://schemas.openxmlformats.org/drawingml/2006/main',
    'http://purl.oclc.org/ooxml/drawingml/main',
  ),
  xdr: set(
    'http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing',
    'http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing',
  ),
  mc: set('http://schemas.openxmlformats.org/markup-compatibility/2006'),
  o: set('urn:schemas-microsoft-com:office:office'),
  v: set('urn:schemas-microsoft-com:vml'),
  /** ECMA-376 Part 2 §9.3 (relationships) and §10.1.2.2 (content types). */
  rels: set('http://schemas.openxmlformats.org/package/2006/relationships'),
  ct: set('http://schemas.openxmlformats.org/package/2006/content-types'),
  /** ECMA-376 Part 2 §11 core properties, with Dublin Core. */
  cp: set('http://schemas.openxmlformats.org/package/2006/metadata/core-properties'),
  dc: set('http://purl.org/dc/elements/1.1/'),
  ep: set(
    'http://schemas.openxmlformats.org/officeDocument/2006/extended-properties',
    'http://purl.oclc.org/ooxml/officeDocument/extendedProperties',
  ),
} as const;

export const RELS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
export const CT_NS = 'http://schemas.openxmlformats.org/package/2006/content-types';
export const RELS_CONTENT_TYPE = 'application/vnd.openxmlformats-package.relationships+xml';

const WML = 'application/vnd.openxmlformats-officedocument.wordprocessingml.';
const SML = 'application/vnd.openxmlformats-officedocument.spreadsheetml.';

/** Main-part content types, and what each is taken as. Templates become documents. */
export const MAIN_TYPES: ReadonlyMap<string, 'docx' | 'docm' | 'xlsx' | 'xlsm'> = new Map([
  [`${WML}document.main+xml`, 'docx'],
  [`${WML}template.main+xml`, 'docx'],
  ['application/vnd.ms-word.document.macroenabled.main+xml', 'docm'],
  ['application/vnd.ms-word.template.macroenabledtemplate.main+xml', 'docm'],
  [`${SML}sheet.main+xml`, 'xlsx'],
  [`${SML}template.main+xml`, 'xlsx'],
  ['application/vnd.ms-excel.sheet.macroenabled.main+xml', 'xlsm'],
  ['application/vnd.ms-excel.template.macroenabled.main+xml', 'xlsm'],
  ['application/vnd.ms-excel.addin.macroenabled.main+xml', 'xlsm'],
]);

/** The content type a rebuilt main part gets: always the plain, macro-free document. */
export const OUTPUT_MAIN_TYPE = { word: `${WML}document.main+xml`, sheet: `${SML}sheet.main+xml` } as const;

export const OUTPUT_MEDIA_TYPE = {
  word: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  sheet: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export const CONTENT_TYPES = {
  core: 'application/vnd.openxmlformats-package.core-properties+xml',
  app: 'application/vnd.openxmlformats-officedocument.extended-properties+xml',
  theme: 'application/vnd.openxmlformats-officedocument.theme+xml',
  drawing: 'application/vnd.openxmlformats-officedocument.drawing+xml',
  externalLink: `${SML}externalLink+xml`,
  wml: (name: string) => `${WML}${name}+xml`,
  sml: (name: string) => `${SML}${name}+xml`,
} as const;

/** Relationship type URIs are matched by their last segment under these prefixes. */
const REL_PREFIXES = [
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships/',
  'http://purl.oclc.org/ooxml/officeDocument/relationships/',
  'http://schemas.openxmlformats.org/package/2006/relationships/metadata/',
  'http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/',
  'http://schemas.microsoft.com/office/2007/relationships/',
];
const STRICT_RENAMES: Record<string, string> = { extendedProperties: 'extended-properties' };

/** E.g. ".../relationships/styles" → "styles"; undefined for a type from elsewhere. */
export function relationshipKind(type: string): string | undefined {
  const prefix = REL_PREFIXES.find((p) => type.startsWith(p));
  if (!prefix) return undefined;
  const kind = type.slice(prefix.length);
  return STRICT_RENAMES[kind] ?? kind;
}
