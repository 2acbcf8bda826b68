/**
 * Parts that are kept but cleaned of what is not document content:
 *  - core properties (ECMA-376 Part 2 §11): dc:creator and cp:lastModifiedBy are personal data
 *    (staff or resident names) and are cleared; title, dates etc. stay;
 *  - extended properties (Part 1 §22.2): Company and Manager (personal/organisational), Template
 *    (a template name or path), HyperlinkBase (a base URL all relative links resolve against)
 *    and HLinks (a cache of hyperlink targets) are removed;
 *  - Word settings (Part 1 §17.15.1): mail merge (§17.14, an external data source and its
 *    query), document variables (read by macros), revision session ids (editing history) and
 *    linkStyles (restyling from the attached template) are removed. The attached template
 *    itself (§17.15.1.6) goes with its external relationship.
 */
import { NS } from './namespaces.ts';
import type { RemovedTally } from './report.ts';
import type { XmlElement } from './xml.ts';
import { is } from './xml-write.ts';

function dropChildren(root: XmlElement, drop: (e: XmlElement) => boolean): string[] {
  const names: string[] = [];
  root.children = root.children.filter((c) => {
    if (c.kind !== 'element' || !drop(c)) return true;
    names.push(c.local);
    return false;
  });
  return names;
}

/** Returns the names of the properties cleared. */
export function cleanCoreProperties(root: XmlElement): string[] {
  return dropChildren(root, (e) => is(e, NS.dc, 'creator') || is(e, NS.cp, 'lastModifiedBy'));
}

const APP_DROPPED = new Set(['Company', 'Manager', 'Template', 'HyperlinkBase', 'HLinks', 'DigSig']);

export function cleanAppProperties(root: XmlElement): string[] {
  return dropChildren(root, (e) => NS.ep.has(e.ns) && APP_DROPPED.has(e.local));
}

const SETTINGS_DROPPED = new Set(['mailMerge', 'docVars', 'rsids', 'linkStyles']);

export function cleanSettings(root: XmlElement, removed: RemovedTally): string[] {
  const names = dropChildren(root, (e) => NS.w.has(e.ns) && SETTINGS_DROPPED.has(e.local));
  if (names.includes('mailMerge')) removed.add('external-relationship', 'mail merge data source');
  return names;
}
