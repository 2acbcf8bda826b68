// Fills a procedure form's empty items with the basic four (基本4情報: 氏名・住所・生年月日・性別)
// that the browser card's signing certificate carries (署名用電子証明書, subjectAltName
// otherNames under J-LIS's OIDs). Served from /assets/procedures/prefill.js; nothing runs inline
// (CSP). Without script, or without a card in this browser, the items simply stay empty.
//
// The page marks the inputs: data-prefill="name" | "birthDate" | "sex" | "address", and holds a
// hidden #prefill-note, shown once something was filled in. What the resident typed is never
// overwritten. The certificate is read, not trusted: the office checks the signed filing's
// certificate against the registry anyway.
import { loadCard } from '/assets/jpki/card-core.js';
import { children, pemToDer, readTlv } from '/assets/jpki/der.js';

const SUBJECT_ALT_NAME = '2.5.29.17';
const BASIC_FOUR = {
  '1.2.392.200149.8.5.5.1': 'name',
  '1.2.392.200149.8.5.5.3': 'sex',
  '1.2.392.200149.8.5.5.4': 'dateOfBirth',
  '1.2.392.200149.8.5.5.5': 'address',
};

/** OBJECT IDENTIFIER content (X.690 §8.19) as dotted text. */
function oidText(bytes, tlv) {
  const arcs = [];
  let value = 0;
  for (let at = tlv.start; at < tlv.end; at++) {
    value = value * 128 + (bytes[at] & 0x7f);
    if ((bytes[at] & 0x80) === 0) {
      if (arcs.length === 0)
        arcs.push(Math.min(2, Math.floor(value / 40)), value - Math.min(2, Math.floor(value / 40)) * 40);
      else arcs.push(value);
      value = 0;
    }
  }
  return arcs.join('.');
}

/** The basic four from a certificate's DER: tbsCertificate → extensions [3] → subjectAltName. */
export function basicFourOf(der) {
  const certificate = readTlv(der, 0);
  const tbs = children(der, certificate)[0];
  const extensions = children(der, tbs).find((tlv) => tlv.tag === 0xa3);
  if (!extensions) return {};
  const found = {};
  for (const extension of children(der, children(der, extensions)[0])) {
    const parts = children(der, extension);
    if (oidText(der, parts[0]) !== SUBJECT_ALT_NAME) continue;
    const names = readTlv(der, parts[parts.length - 1].start);
    for (const name of children(der, names)) {
      if (name.tag !== 0xa0) continue; // otherName [0]
      const [typeId, wrapped] = children(der, name);
      const key = BASIC_FOUR[oidText(der, typeId)];
      const value = wrapped && children(der, wrapped)[0];
      if (key && value?.tag === 0x0c)
        found[key] = new TextDecoder().decode(der.subarray(value.start, value.end));
    }
  }
  return found;
}

/** What each marked input gets: the form's values (ISO dates, the schema's sex codes). */
function valuesFor(facts) {
  const dob = /^\d{8}$/.test(facts.dateOfBirth ?? '')
    ? `${facts.dateOfBirth.slice(0, 4)}-${facts.dateOfBirth.slice(4, 6)}-${facts.dateOfBirth.slice(6, 8)}`
    : undefined;
  // ISO/IEC 5218: 1 male, 2 female; 9 (not applicable) leaves the choice to the resident.
  const sex = { 1: 'male', 2: 'female' }[facts.sex];
  return { name: facts.name, address: facts.address, birthDate: dob, sex };
}

function fill(values) {
  let filled = 0;
  const radioGroups = new Set();
  for (const input of document.querySelectorAll('[data-prefill]')) {
    const value = values[input.dataset.prefill];
    if (!value) continue;
    if (input.type === 'radio') {
      if (radioGroups.has(input.name)) continue;
      radioGroups.add(input.name);
      const group = [...document.querySelectorAll('input[type="radio"]')].filter(
        (r) => r.name === input.name,
      );
      const match = group.find((r) => r.value === value);
      if (match && !group.some((r) => r.checked)) {
        match.checked = true;
        filled += 1;
      }
    } else if (input.value === '') {
      input.value = value;
      if (input.value === value) filled += 1;
    }
  }
  return filled;
}

async function prefill() {
  if (!document.querySelector('[data-prefill]') || !window.indexedDB) return;
  const card = await loadCard();
  const pem = card?.certificates?.signing;
  if (!pem) return;
  const filled = fill(valuesFor(basicFourOf(pemToDer(pem))));
  const note = document.getElementById('prefill-note');
  if (filled > 0 && note) note.hidden = false;
}

if (typeof document !== 'undefined') prefill().catch(() => undefined);
