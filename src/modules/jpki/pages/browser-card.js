// The browser card: a stand-in for a My Number card and its reader, kept in this browser.
// Its two RSA-2048 keys are made here by WebCrypto as non-extractable keys and stored in
// IndexedDB: no script, not even this one, can read them out; they can only sign. The PIN
// (4 digits) and the signing password (6–16 A–Z 0–9) are checked here against a PBKDF2
// hash, with counters like the chip's: 3 wrong PINs or 5 wrong passwords lock the key.
// Pages mark what they need with data-card="setup" | "sign-in"; nothing runs inline (CSP).
// The card's record and secrets live in card-core.js, shared with browser-sign.js.

import {
  byId,
  cardErrorText,
  loadCard,
  message,
  RSA,
  SECRET,
  saveCard,
  say,
  sealed,
  unlock,
} from './card-core.js';
import {
  bitString,
  contextTag,
  integer,
  NULL,
  objectIdentifier,
  pemToDer,
  sequence,
  setOf,
  toBase64,
  utf8String,
} from './der.js';

const SIGN_IN_PREFIX = 'machi-jpki-sign-in/1\n';

/** A PKCS#10 request (RFC 2986) for one of the card's keys, signed with it (proof of possession). */
async function certificateRequest(keys) {
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
  const name = sequence(setOf(sequence(objectIdentifier('2.5.4.3'), utf8String('My Number card'))));
  const info = sequence(integer(0), name, spki, contextTag(0, new Uint8Array()));
  const signature = new Uint8Array(await crypto.subtle.sign(RSA.name, keys.privateKey, info));
  return sequence(info, sequence(objectIdentifier('1.2.840.113549.1.1.11'), NULL), bitString(signature));
}

// ---- pages -------------------------------------------------------------------------
async function postJson(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body ?? {}),
    credentials: 'same-origin',
  });
  const data = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, data };
}

async function setUp(form) {
  const status = byId('card-status');
  const existing = await loadCard();
  const showWaiting = (card) => {
    byId('card-code').textContent = `${card.code.slice(0, 4)}-${card.code.slice(4)}`;
    byId('card-waiting').hidden = false;
    form.hidden = true;
  };
  const poll = async (card) => {
    const response = await fetch(`/api/v1/jpki/card-requests/${card.requestId}`, {
      headers: { accept: 'application/json' },
    });
    const state = await response.json();
    if (state.status === 'issued') {
      card.certificates = state.certificates;
      await saveCard(card);
      byId('card-waiting').hidden = true;
      byId('card-ready').hidden = false;
      return;
    }
    if (state.status === 'expired') return say(status, message(form, 'expired'), true);
    setTimeout(() => poll(card), 2000);
  };
  if (existing?.certificates) {
    form.hidden = true;
    byId('card-ready').hidden = false;
    return;
  }
  if (existing) {
    showWaiting(existing);
    poll(existing);
    return;
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const pin = form.elements.pin.value.trim();
    const password = form.elements.password.value.trim();
    if (!SECRET.auth.test(pin)) return say(status, message(form, 'pinShape'), true);
    if (!SECRET.signing.test(password)) return say(status, message(form, 'passwordShape'), true);
    say(status, message(form, 'working'), false);
    const keys = {
      auth: await crypto.subtle.generateKey(RSA, false, ['sign', 'verify']),
      signing: await crypto.subtle.generateKey(RSA, false, ['sign', 'verify']),
    };
    const requests = {
      auth: toBase64(await certificateRequest(keys.auth)),
      signing: toBase64(await certificateRequest(keys.signing)),
    };
    const answer = await postJson('/api/v1/jpki/card-requests', {
      municipalityCode: form.elements.municipalityCode.value,
      requests,
    });
    if (!answer.ok) return say(status, answer.data.detail ?? message(form, 'failed'), true);
    const card = {
      requestId: answer.data.requestId,
      code: answer.data.code,
      keys,
      secrets: { auth: await sealed(pin), signing: await sealed(password) },
      failures: { auth: 0, signing: 0 },
      certificates: null,
    };
    await saveCard(card);
    status.hidden = true;
    showWaiting(card);
    poll(card);
  });
}

async function signIn(form) {
  const status = byId('sign-in-status');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const card = await loadCard();
    if (!card?.certificates) return say(status, message(form, 'noCard'), true);
    try {
      await unlock(card, 'auth', form.elements.pin.value.trim());
    } catch (error) {
      return say(status, cardErrorText(form, error, 'auth'), true);
    }
    const challenged = await postJson('/api/v1/jpki/challenges');
    // The card signs only for the site it is on: a challenge relayed from elsewhere is refused.
    if (!challenged.ok || challenged.data.origin !== location.origin)
      return say(status, message(form, 'failed'), true);
    const data = new TextEncoder().encode(SIGN_IN_PREFIX + challenged.data.challenge);
    const signature = new Uint8Array(await crypto.subtle.sign(RSA.name, card.keys.auth.privateKey, data));
    const answer = await postJson('/api/v1/jpki/sign-in', {
      challenge: challenged.data.challenge,
      certificate: toBase64(pemToDer(card.certificates.auth)),
      signature: toBase64(signature),
    });
    if (answer.ok) {
      location.assign(form.dataset.next || '/me');
      return;
    }
    const code = String(answer.data.type ?? '').replace('/problems/', '');
    say(
      status,
      form.dataset[`problem${code.replace(/(^|-)(\w)/g, (_m, _d, c) => c.toUpperCase())}`] ??
        answer.data.detail ??
        message(form, 'failed'),
      true,
    );
  });
}

for (const form of document.querySelectorAll('form[data-card]')) {
  if (!window.crypto?.subtle || !window.indexedDB) {
    form.hidden = true;
    continue;
  }
  if (form.dataset.card === 'setup') setUp(form);
  if (form.dataset.card === 'sign-in') signIn(form);
}
