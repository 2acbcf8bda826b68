// Waits for the registry's answer to the resident's prefill request (ワンスオンリー) while a
// step page says 「住民記録から情報を取得しています…」, then shows the step again, so the
// server fills the draft's empty items. Served from /assets/procedures/registry-wait.js;
// nothing runs inline (CSP: script-src 'self').
//
// It asks GET /api/v1/me/prefill every 3 s (for two minutes at most) rather than reloading
// the page each time: a page that reloads itself restarts a screen reader and moves the
// focus (WCAG 2.2.1, 3.2.5). Once the answer is no longer pending it reloads — unless
// anything on the page was changed (typed, or filled by the card's prefill.js): a reload
// would lose that, so it says to press 「住民記録の情報を反映する」 instead, which saves first.
// Without script that button is the way, and the form works as it is meanwhile.

const INTERVAL_MS = 3_000;
const TRIES = 40;

/** Whether any control differs from what the page came with. */
function changed(form) {
  for (const control of form.elements) {
    if (control.type === 'checkbox' || control.type === 'radio') {
      if (control.checked !== control.defaultChecked) return true;
    } else if (control.tagName === 'SELECT') {
      for (const option of control.options) if (option.selected !== option.defaultSelected) return true;
    } else if ('defaultValue' in control && control.value !== control.defaultValue) {
      return true;
    }
  }
  return false;
}

/** 'ready' once the answer is here (or there is none to wait for), 'pending', or 'stop'. */
async function state() {
  const response = await fetch('/api/v1/me/prefill', {
    headers: { accept: 'application/json' },
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (response.status === 404) return 'ready'; // undone or expired: the page asks again
  if (!response.ok) return response.status === 401 || response.status === 403 ? 'stop' : 'pending';
  const body = await response.json();
  return body.status === 'ready' ? 'ready' : 'pending';
}

async function wait() {
  const notice = document.getElementById('registry-wait');
  const form = document.getElementById('step-form');
  if (!notice || !form || !window.fetch) return;
  for (let tries = 0; tries < TRIES; tries++) {
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
    const now = await state().catch(() => 'pending');
    if (now === 'stop') return;
    if (now !== 'ready') continue;
    if (!changed(form)) {
      window.location.reload();
      return;
    }
    const ready = document.getElementById('registry-ready');
    if (ready) ready.hidden = false;
    return;
  }
}

if (typeof document !== 'undefined') wait().catch(() => undefined);
