/** The OOXML (DOCX, XLSX; DOCM and XLSM made plain) sanitizer and its type detection. */
export { detectOoxml, type OoxmlKind } from './detect.ts';
export { type OoxmlImageType, type OoxmlOptions, sanitizeOoxml } from './sanitize.ts';
export { parseXml } from './xml.ts';
