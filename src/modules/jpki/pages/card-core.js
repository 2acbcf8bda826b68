// The browser card itself, shared by the page scripts (browser-card.js: set up, sign in;
// browser-sign.js: sign documents): its record in IndexedDB, its two secrets and their
// failure counters, and signing with its keys. Nothing here touches the page at load,
// so Node can import it in tests (types in card-core.d.ts).
import { buildDetachedSignature } from './cms-signed-data.js';
import { pemToDer, toBase64 } from './der.js';

export const RSA = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};
/** As the chip counts: 3 wrong PINs lock the auth key, 5 wrong passwords the signing key. */
export const MAX_FAILURES = { auth: 3, signing: 5 };
export const SECRET = { auth: /^\d{4}$/, signing: /^[A-Z0-9]{6,16}$/ };

// ---- IndexedDB: one record, the card ------------------------------------------------
function openStore() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open('machi-card', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('card');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}
async function withStore(mode, action) {
  const db = await openStore();
  return new Promise((resolve, reject) => {
    const tx = db.transaction('card', mode);
    const result = action(tx.objectStore('card'));
    tx.oncomplete = () => resolve(result.result);
    tx.onerror = () => reject(tx.error);
  });
}
export const loadCard = () => withStore('readonly', (store) => store.get('current'));
export const saveCard = (card) => withStore('readwrite', (store) => store.put(card, 'current'));

// ---- secrets -----------------------------------------------------------------------
async function secretHash(secret, salt) {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 100_000 },
    key,
    256,
  );
  return toBase64(new Uint8Array(bits));
}
export async function sealed(secret) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return { salt, hash: await secretHash(secret, salt) };
}

/** code: secret-shape | secret-incorrect (with `remaining`) | card-locked | no-card | no-signing-certificate */
export class CardError extends Error {
  constructor(code, remaining) {
    super(code);
    this.code = code;
    this.remaining = remaining;
  }
}

/**
 * Checks the secret like the chip: the failure is counted and saved before the answer,
 * so closing the tab cannot undo it, and a right secret resets the count.
 */
export async function unlock(card, kind, secret, save = saveCard) {
  if (!SECRET[kind].test(secret)) throw new CardError('secret-shape');
  if (card.failures[kind] >= MAX_FAILURES[kind]) throw new CardError('card-locked');
  const right = (await secretHash(secret, card.secrets[kind].salt)) === card.secrets[kind].hash;
  card.failures[kind] = right ? 0 : card.failures[kind] + 1;
  await save(card);
  if (!right) {
    const remaining = MAX_FAILURES[kind] - card.failures[kind];
    throw new CardError(remaining === 0 ? 'card-locked' : 'secret-incorrect', remaining);
  }
}

/**
 * A detached CMS signature (DER) over `document` with the card's signing key, unlocked by
 * the signing password. `card` is the stored record (or undefined when there is none);
 * its signing certificate is the PEM the counter issued.
 */
export async function signWithCard(card, document, password, save = saveCard, now = new Date()) {
  if (!card) throw new CardError('no-card');
  const pem = card.certificates?.signing;
  if (!pem || !card.keys?.signing) throw new CardError('no-signing-certificate');
  await unlock(card, 'signing', password, save);
  return buildDetachedSignature({
    document,
    certificate: pemToDer(pem),
    signingTime: now,
    sign: async (data) =>
      new Uint8Array(await crypto.subtle.sign(RSA.name, card.keys.signing.privateKey, data)),
  });
}

// ---- pages -------------------------------------------------------------------------
export const byId = (id) => document.getElementById(id);
export function say(element, text, isError) {
  element.textContent = text;
  element.hidden = false;
  element.classList.toggle('field-error', Boolean(isError));
  element.focus();
}
/** The page hands its messages over in data-* attributes, in its language (no inline script: CSP). */
export const message = (form, key) => form.dataset[key] ?? key;

const errorMessages = {
  auth: { 'secret-shape': 'pinShape', 'secret-incorrect': 'pinIncorrect', 'card-locked': 'cardLocked' },
  signing: {
    'secret-shape': 'passwordShape',
    'secret-incorrect': 'passwordIncorrect',
    'card-locked': 'signingLocked',
    'no-card': 'noCard',
    'no-signing-certificate': 'noSigningCertificate',
  },
};
/** What to tell the resident about a CardError (or anything else: `failed`), {n} filled in. */
export function cardErrorText(form, error, kind) {
  const key = (error instanceof CardError && errorMessages[kind][error.code]) || 'failed';
  return message(form, key).replace('{n}', String(error?.remaining ?? ''));
}
