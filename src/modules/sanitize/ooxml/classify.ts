/**
 * How a dropped part is reported: macros, ActiveX and OLE objects by name, as the task's
 * report vocabulary asks; DDE links found in dropped external-link parts; everything else
 * as 'part' with its name.
 */
import { isRefusal } from '../types.ts';
import type { ZipArchive } from '../zip/index.ts';
import { CONTENT_TYPES, NS } from './namespaces.ts';
import { hostOf, parseRelationships, relsPartOf } from './opc.ts';
import { readXml } from './package.ts';
import type { OoxmlRemovedKind, RemovedTally } from './report.ts';
import { attribute, childElements, is } from './xml-write.ts';

export function classifyPart(name: string, contentType: string): OoxmlRemovedKind {
  const n = name.toLowerCase();
  const t = contentType.toLowerCase();
  if (
    n.endsWith('vbaproject.bin') ||
    n.endsWith('vbadata.xml') ||
    t.startsWith('application/vnd.ms-office.vbaproject') ||
    t === 'application/vnd.ms-word.vbadata+xml' ||
    t === 'application/vnd.ms-word.keymapcustomizations+xml' ||
    t.includes('macrosheet') ||
    n.includes('/macrosheets/')
  ) {
    return 'macro';
  }
  if (n.includes('/activex/') || t.startsWith('application/vnd.ms-office.activex')) return 'activex';
  if (n.includes('/embeddings/') || t === 'application/vnd.openxmlformats-officedocument.oleobject') {
    return 'ole-object';
  }
  return 'part';
}

/**
 * SpreadsheetML external links (ECMA-376 Part 1 §18.14): a ddeLink is DDE, an oleLink an OLE
 * link, an externalBook a workbook elsewhere (reported by host). Read only to report; a part
 * that does not parse is reported as a plain dropped part.
 */
export function reportExternalLink(zip: ZipArchive, name: string, removed: RemovedTally): void {
  try {
    const root = readXml(zip, name);
    const link = root && childElements(root)[0];
    if (link && is(link, NS.s, 'ddeLink')) {
      removed.add('dde', attribute(link, 'ddeService') ?? 'ddeLink');
      return;
    }
    if (link && is(link, NS.s, 'oleLink')) {
      removed.add('ole-object', 'oleLink');
      return;
    }
    const relsXml = readXml(zip, relsPartOf(name));
    const external = relsXml ? parseRelationships(relsXml, relsPartOf(name)).filter((r) => r.external) : [];
    for (const r of external) removed.add('external-relationship', hostOf(r.target));
    if (external.length > 0) return;
  } catch (error) {
    // Limits still refuse the file; a part that merely does not parse is reported as a part.
    if (!isRefusal(error) || error.reason !== 'malformed') throw error;
  }
  removed.add('part', name);
}

export const isExternalLinkType = (contentType: string) =>
  contentType.toLowerCase() === CONTENT_TYPES.externalLink.toLowerCase();
