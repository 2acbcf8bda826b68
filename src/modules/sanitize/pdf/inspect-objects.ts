/**
 * Finds the active and hidden content the original PDF held, by walking every object pdf-lib parsed.
 * pdf-lib reads the file body sequentially (not through the xref), so it sees objects of every
 * revision and those packed in compressed object streams, which a plain byte search would miss.
 * Should pdf-lib fail (encrypted object streams, badly broken files), a raw byte scan stands in and
 * the report says it may be incomplete.
 */
import {
  ParseSpeeds,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  type PDFObject,
  PDFStream,
  PDFString,
} from 'pdf-lib';
import { type Findings, uriHost } from './findings.ts';

/** Action types (/S) and what the report calls them. */
const ACTION_KINDS: Record<string, string> = {
  JavaScript: 'javascript',
  Launch: 'launch',
  URI: 'uri',
  SubmitForm: 'submit-form',
  ImportData: 'import-data',
  GoToR: 'goto-remote',
  GoToE: 'goto-embedded',
  Rendition: 'rich-media',
  Movie: 'rich-media',
  Sound: 'rich-media',
};

/** Annotation subtypes that carry active or embedded content. */
const ANNOT_KINDS: Record<string, string> = {
  FileAttachment: 'embedded-file',
  RichMedia: 'rich-media',
  Screen: 'rich-media',
  Movie: 'rich-media',
  Sound: 'rich-media',
  '3D': 'rich-media',
};

const decode = (s: string): string =>
  s.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/** A name's value with #xx escapes undone (pdf-lib only undoes upper-case ones). */
function nameText(obj: PDFObject | undefined): string | undefined {
  if (!(obj instanceof PDFName)) return undefined;
  return decode(decode(obj.asString().slice(1)));
}

function stringText(obj: PDFObject | undefined): string | undefined {
  return obj instanceof PDFString || obj instanceof PDFHexString ? obj.decodeText() : undefined;
}

/** Returns false if pdf-lib could not parse the file; `findings` then holds nothing from it. */
export async function inspectObjects(bytes: Uint8Array, findings: Findings): Promise<boolean> {
  let doc: PDFDocument;
  const warn = console.warn;
  try {
    // pdf-lib logs every invalid object it skips; a hostile file can hold thousands.
    console.warn = () => undefined;
    doc = await PDFDocument.load(bytes, {
      ignoreEncryption: true,
      throwOnInvalidObject: false,
      updateMetadata: false,
      parseSpeed: ParseSpeeds.Fastest,
    });
  } catch {
    return false;
  } finally {
    console.warn = warn;
  }
  const seen = new Set<PDFObject>();
  const visit = (obj: PDFObject, depth: number): void => {
    if (depth > 64 || seen.has(obj)) return;
    if (obj instanceof PDFStream) {
      seen.add(obj);
      inspectDict(obj.dict, true, findings);
      for (const [, v] of obj.dict.entries()) visit(v, depth + 1);
    } else if (obj instanceof PDFDict) {
      seen.add(obj);
      inspectDict(obj, false, findings);
      for (const [, v] of obj.entries()) visit(v, depth + 1);
    } else if (obj instanceof PDFArray) {
      seen.add(obj);
      for (const v of obj.asArray()) visit(v, depth + 1);
    }
  };
  for (const [, obj] of doc.context.enumerateIndirectObjects()) visit(obj, 0);
  return true;
}

function inspectDict(dict: PDFDict, isStream: boolean, findings: Findings): void {
  const keys = new Map<string, PDFObject>();
  for (const [k, v] of dict.entries()) keys.set(nameText(k) ?? '', v);
  const type = nameText(keys.get('Type'));
  const action = nameText(keys.get('S'));
  const subtype = nameText(keys.get('Subtype'));

  if (action && ACTION_KINDS[action]) {
    const kind = ACTION_KINDS[action]!;
    if (kind === 'uri') findings.add('uri', uriHost(stringText(keys.get('URI')) ?? ''));
    else findings.add(kind);
  } else if (keys.has('JS')) {
    findings.add('javascript'); // a /JS entry without /S /JavaScript still runs in some readers
  }
  if (keys.has('OpenAction')) findings.add('open-action');
  if (keys.has('AA')) findings.add('additional-actions');
  if (keys.has('XFA')) findings.add('xfa');
  if (keys.has('EmbeddedFiles')) findings.add('embedded-file', 'attachment list');
  if (keys.has('JavaScript') && !action) findings.add('javascript', 'document-level scripts');
  if (isStream && type === 'EmbeddedFile') findings.add('embedded-file');
  if (subtype && ANNOT_KINDS[subtype] && (type === 'Annot' || keys.has('Rect'))) {
    findings.add(ANNOT_KINDS[subtype]!, `${subtype} annotation`);
  }
  if (type === 'Sig' || (keys.has('ByteRange') && keys.has('Contents'))) findings.add('signature');
}
