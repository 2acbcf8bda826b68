// Signing a filing with the browser card's signing key (署名用電子証明書): a detached CMS
// SignedData over the exact bytes the page hands over, checked on the server by
// verifyDocumentSignature. Loaded as a module from /assets/jpki/browser-sign.js; nothing
// runs inline (CSP).
//
// The form contract (procedure pages; cardSignFormAttributes(lang) and cardSignScript in
// the jpki module give the attribute and the messages):
//   <p id="signature-status" role="alert" tabindex="-1" hidden></p>
//   <form method="post" action="…" data-card="sign" data-password-incorrect="…" …>
//     <input type="hidden" name="document" value="base64 of the exact bytes to sign">
//     <input type="hidden" name="signature">       filled here: base64 of the CMS (DER)
//     <input type="password" name="password">      checked here, never sent: disabled before submit
//     …any other fields (_csrf, idempotencyKey) are posted untouched
//   </form>
// On submit the card is unlocked (5 wrong passwords lock the signing key, as on the chip),
// the signature is put in `signature`, and the form is posted as a normal form POST.
import { cardErrorText, loadCard, message, say, signWithCard } from './card-core.js';
import { fromBase64, toBase64 } from './der.js';

/**
 * Signs `documentBytes` with the card in this browser; the CMS SignedData, base64 DER.
 * Throws a CardError: no-card, no-signing-certificate, secret-shape, secret-incorrect
 * (with `remaining` tries) or card-locked.
 */
export async function signDocument(documentBytes, password) {
  return toBase64(await signWithCard(await loadCard(), documentBytes, password));
}

function hook(form) {
  const status = document.getElementById('signature-status');
  const field = (name) => form.elements.namedItem(name);
  let busy = false;
  // Back to this page from the next one (bfcache): the password field must work again.
  window.addEventListener('pageshow', () => {
    field('password').disabled = false;
    busy = false;
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return; // a double click signs (and counts a wrong password) once
    busy = true;
    const password = field('password');
    try {
      say(status, message(form, 'signing'), false);
      field('signature').value = await signDocument(
        fromBase64(field('document').value),
        password.value.trim(),
      );
    } catch (error) {
      busy = false;
      say(status, cardErrorText(form, error, 'signing'), true);
      return;
    }
    password.value = '';
    password.disabled = true; // disabled fields are not posted: the password stays in this browser
    // The prototype's submit: a field named "submit" would shadow form.submit. It fires no
    // submit event, so this handler does not run again.
    HTMLFormElement.prototype.submit.call(form);
  });
}

for (const form of document.querySelectorAll('form[data-card="sign"]')) {
  if (!window.crypto?.subtle || !window.indexedDB) {
    form.hidden = true;
    continue;
  }
  hook(form);
}
