/**
 * Removes active objects from any part's XML and everything that refers to a relationship we
 * did not keep. ECMA-376 Part 1 elements handled explicitly:
 *  - w:object (§17.3.3.19, embedded OLE object), o:OLEObject (VML, Part 4 §19.2.2.4) → 'ole-object'
 *  - w:control (§17.3.3.6, ActiveX control) → 'activex'
 *  - SpreadsheetML oleObjects (§18.3.1.60) → 'ole-object', controls (§18.3.1.21) → 'activex'
 * Then any attribute in the relationships namespace (r:id, r:embed, r:link, …) or VML o:relid
 * that names a dropped relationship: for a few elements the attribute alone goes (a hyperlink
 * becomes plain text, a picture frame loses its image); otherwise the element goes, and for a
 * chart or diagram the whole drawing/anchor around it, so that no half-object is left.
 * Containers emptied by this (extension lists, AlternateContent branches…) go too.
 */
import { NS } from './namespaces.ts';
import type { RemovedTally } from './report.ts';
import type { XmlAttribute, XmlElement } from './xml.ts';
import { attribute, childElements, is, rewrite } from './xml-write.ts';

function isReference(a: XmlAttribute): boolean {
  return NS.r.has(a.ns) || (a.local === 'relid' && NS.o.has(a.ns));
}

/** Elements whose dangling reference is dropped alone: the element stays meaningful without it. */
function attributeOnly(e: XmlElement): boolean {
  return (
    is(e, NS.w, 'hyperlink') ||
    is(e, NS.a, 'blip') ||
    is(e, NS.v, 'imagedata') ||
    is(e, NS.v, 'fill') ||
    is(e, NS.s, 'pageSetup')
  );
}

/** The whole graphic object (drawing, picture, anchor) goes when it is a chart or diagram we dropped. */
function isRemovalRoot(e: XmlElement): boolean {
  return (
    is(e, NS.w, 'drawing') ||
    is(e, NS.w, 'pict') ||
    is(e, NS.xdr, 'twoCellAnchor') ||
    is(e, NS.xdr, 'oneCellAnchor') ||
    is(e, NS.xdr, 'absoluteAnchor')
  );
}

/**
 * References that stand for the whole graphic (a chart, SmartArt): without their part the
 * frame around them is meaningless. Any other dangling reference (an SVG alternative of a PNG,
 * a click hyperlink on a shape, a header reference) takes only its own element.
 */
function standsForGraphic(e: XmlElement): boolean {
  return /\/(chart|diagram)/.test(e.ns) && (e.local === 'chart' || e.local === 'relIds');
}

/** Containers that are invalid or meaningless when empty (by local name, in any namespace). */
const EMPTY_REMOVABLE = new Set([
  'hyperlinks',
  'oleObjects',
  'controls',
  'externalReferences',
  'pivotCaches',
  'tableParts',
  'slicerList',
  'ext',
  'extLst',
  'Choice',
  'Fallback',
  'AlternateContent',
  'definedNames',
]);

export function cleanReferences(root: XmlElement, keptIds: ReadonlySet<string>, removed: RemovedTally): void {
  const hadChildren = new Set<XmlElement>();
  const doomed = new Set<XmlElement>();
  const inObject = new Set<XmlElement>();
  const ancestors: XmlElement[] = [];
  // One recursive pass (depth bounded by the parser) with the chain of ancestors at hand.
  const scan = (e: XmlElement) => {
    if (EMPTY_REMOVABLE.has(e.local) && e.children.some((c) => c.kind === 'element')) hadChildren.add(e);
    if (is(e, NS.o, 'OLEObject') && ancestors.some((a) => is(a, NS.w, 'object'))) inObject.add(e);
    if (!attributeOnly(e) && e.attributes.some((a) => isReference(a) && !keptIds.has(a.value))) {
      let target = e;
      if (standsForGraphic(e)) {
        for (let k = ancestors.length - 1; k >= 0; k--) {
          if (isRemovalRoot(ancestors[k]!)) {
            target = ancestors[k]!;
            break;
          }
        }
      }
      doomed.add(target);
    }
    ancestors.push(e);
    for (const c of e.children) if (c.kind === 'element') scan(c);
    ancestors.pop();
  };
  scan(root);

  rewrite(root, (e) => {
    if (is(e, NS.w, 'object')) {
      removed.add('ole-object', 'w:object');
      return [];
    }
    if (is(e, NS.o, 'OLEObject')) {
      // Counted once: the usual w:object around it is counted itself.
      if (!inObject.has(e)) removed.add('ole-object', 'o:OLEObject');
      return [];
    }
    if (is(e, NS.w, 'control')) {
      removed.add('activex', 'w:control');
      return [];
    }
    if (is(e, NS.s, 'oleObjects')) {
      removed.add('ole-object', 'oleObject', Math.max(1, childElements(e).length));
      return [];
    }
    if (is(e, NS.s, 'controls')) {
      removed.add('activex', 'control', Math.max(1, childElements(e).length));
      return [];
    }
    if (doomed.has(e)) return [];
    if (attributeOnly(e)) {
      e.attributes = e.attributes.filter((a) => !isReference(a) || keptIds.has(a.value));
      // A hyperlink with neither target nor anchor is just its runs (§17.16.22).
      if (
        is(e, NS.w, 'hyperlink') &&
        !e.attributes.some(isReference) &&
        attribute(e, 'anchor', NS.w) === undefined
      ) {
        return e.children;
      }
    }
    if (hadChildren.has(e) && EMPTY_REMOVABLE.has(e.local) && childElements(e).length === 0) return [];
    if (is(e, NS.s, 'tableParts')) {
      const count = e.attributes.find((a) => a.local === 'count' && a.ns === '');
      if (count) count.value = String(childElements(e).length);
    }
    return [e];
  });
}
