// The portal's procedure pages follow each municipality's settings and fill the form from the
// registry (ワンスオンリー): a procedure 千代田区 turned off is listed apart with its note, its
// page says so instead of the start button, and its form is a page refusing it; a visitor not
// signed in picks a municipality on /procedures. A form asking for the household asks the
// registry once, says it is waiting, and once the answer has come through lgwan (the gateway
// driven by hand here) fills the draft's empty items — the household too — keeping what the
// resident typed, once per draft.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreeZones } from '../gateway/support.ts';
import { openZonesWithPki, type SignedInResident, signedInResident } from '../sanitize/support.ts';
import { myNumberOf, residentCodeOf } from '../support/registry-ids.ts';
import { type SignedInStaff, signedInStaff } from '../support/staff.ts';
import { asStaff, browsePortal } from './support.ts';

const CHIYODA = '131016';
const SAPPORO = '011002';
const OFF = 'disaster-damage-certificate';
const NOTED = 'facility-reservation';
const NURSERY = 'nursery-admission-application';
const NOT_OFFERED = 'この市区町村ではオンラインで受け付けていない手続';
const WAITING = '住民記録から情報を取得しています…';
const FILLED = '住民基本台帳の情報を入力しました（世帯の情報を含む）。内容を確認してください。';
const note = { ja: '当面は窓口で受け付けます。', en: 'For now, at the counter only.' };

let zones: ThreeZones & { remove(): void };
let admin: SignedInStaff;
let registrar: SignedInStaff;
/** 佐藤花子 (resident 861), head of a 世帯 of two. */
let resident: SignedInResident;

beforeAll(async () => {
  zones = await openZonesWithPki();
  admin = await signedInStaff(zones.lgwan, { municipalityCode: CHIYODA, roles: ['admin'] });
  registrar = await signedInStaff(zones.mynumber, { municipalityCode: CHIYODA, roles: ['registry-clerk'] });
  resident = await signedInResident(zones, 861);
  const joined = await asStaff(zones.mynumber, registrar)(
    'POST',
    `/api/v1/municipalities/${CHIYODA}/residents/events`,
    {
      kind: 'move-in',
      person: {
        residentCode: residentCodeOf(862),
        myNumber: myNumberOf(862),
        familyName: '佐藤',
        givenName: '健一',
        familyNameKana: 'さとう',
        givenNameKana: 'けんいち',
        sex: 1,
        birthDate: '1948-08-08',
      },
      effectiveOn: '2024-05-01',
      address: '千代田一丁目1番1号',
      postalCode: '1000001',
      household: { kind: 'join', residentCode: residentCodeOf(861), relationship: '夫' },
    },
  );
  expect(joined.statusCode, joined.body).toBe(201);
});
afterAll(async () => {
  await zones?.close();
  zones?.remove();
});

type Form = Record<string, string>;

/** A browser's request: the session cookie, and a form body (with the session's `_csrf`) on POST. */
const browse = (who: SignedInResident | undefined, method: 'GET' | 'POST', url: string, form?: Form) =>
  browsePortal(zones, who, method, url, form);

async function setting(procedureId: string, payload: object) {
  const response = await asStaff(zones.lgwan, admin)(
    'PUT',
    `/api/v1/municipalities/${CHIYODA}/procedure-settings/${procedureId}`,
    payload,
  );
  expect(response.statusCode, response.body).toBe(200);
  await zones.internet.gateway.pull('lgwan', 100);
}

/** The part of a page from the not-offered heading on (empty when there is none). */
const notOfferedPart = (page: string) => {
  const at = page.indexOf(NOT_OFFERED);
  return at === -1 ? '' : page.slice(at);
};
/** The outcomes of the portal's requests to the registry, in order. */
async function requestsMade(): Promise<string[]> {
  await zones.internet.context.audit.flush();
  const result = await sql<{ outcome: string }>`
    select outcome from audit_log where action = 'procedures.prefill.request' order by seq`.execute(
    zones.internet.context.database.db,
  );
  return result.rows.map((row) => row.outcome);
}
/** The value of the input named `name` (a JSON Pointer), as the page shows it. */
const valueIn = (page: string, name: string) =>
  new RegExp(`<input [^>]*name="${name}"[^>]* value="([^"]*)"`).exec(page)?.[1];

describe("a municipality's settings on the pages", () => {
  beforeAll(async () => {
    await setting(OFF, { enabled: false, note });
    await setting(NOTED, {
      enabled: true,
      note: { ja: '予約は利用日の3日前まで。', en: 'Book 3 days ahead.' },
    });
  });

  it('lets a visitor pick a municipality, and lists what it does not take online apart, with its note', async () => {
    const all = await browse(undefined, 'GET', '/procedures');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('<select id="municipality" name="municipality"');
    expect(all.body).toContain(`<option value="${CHIYODA}">東京都千代田区</option>`);
    expect(all.body).toContain(`<option value="${SAPPORO}">北海道札幌市</option>`);
    // No municipality chosen: every procedure, as before.
    expect(all.body).not.toContain(NOT_OFFERED);
    expect(all.body).toContain(`href="/procedures/${OFF}"`);

    const chiyoda = await browse(undefined, 'GET', `/procedures?municipality=${CHIYODA}`);
    expect(chiyoda.statusCode).toBe(200);
    expect(chiyoda.body).toContain(`<option value="${CHIYODA}" selected>東京都千代田区</option>`);
    const apart = notOfferedPart(chiyoda.body);
    expect(apart).toContain(`<a href="/procedures/${OFF}?municipality=${CHIYODA}">`);
    expect(apart).toContain(note.ja);
    // Listed under that heading only; the others keep the choice in their links.
    expect(chiyoda.body.slice(0, chiyoda.body.indexOf(NOT_OFFERED))).not.toContain(`/procedures/${OFF}`);
    expect(chiyoda.body).toContain(`href="/procedures/${NURSERY}?municipality=${CHIYODA}"`);
    expect(chiyoda.body).toContain('予約は利用日の3日前まで。');
    // The search keeps the choice, and marks what is not online here.
    expect(chiyoda.body).toContain(`<input type="hidden" name="municipality" value="${CHIYODA}">`);
    const searched = await browse(
      undefined,
      'GET',
      `/procedures?municipality=${CHIYODA}&q=${encodeURIComponent('罹災')}`,
    );
    expect(searched.body).toContain('オンライン受付なし');

    expect(notOfferedPart((await browse(undefined, 'GET', `/procedures?municipality=${SAPPORO}`)).body)).toBe(
      '',
    );
    const unknown = await browse(undefined, 'GET', '/procedures?municipality=999999');
    expect(unknown.statusCode).toBe(200);
    expect(unknown.body).toContain('その市区町村は選べません。');
    expect(unknown.body).toContain('aria-invalid="true"');
  });

  it("says so on the procedure's page instead of the start button, and shows a note prominently", async () => {
    const detail = await browse(undefined, 'GET', `/procedures/${OFF}?municipality=${CHIYODA}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('東京都千代田区では、この手続をオンラインで受け付けていません。');
    expect(detail.body).toContain(note.ja);
    expect(detail.body).not.toContain('/apply');
    expect(detail.body).toContain(`href="/procedures?municipality=${CHIYODA}"`);
    // Elsewhere it is offered.
    expect((await browse(undefined, 'GET', `/procedures/${OFF}?municipality=${SAPPORO}`)).body).toContain(
      `/sign-in?next=${encodeURIComponent(`/procedures/${OFF}/apply`)}`,
    );

    const noted = await browse(resident, 'GET', `/procedures/${NOTED}`);
    expect(noted.body).toContain('<h2 id="municipality-note-heading">東京都千代田区からのお知らせ</h2>');
    expect(noted.body).toContain('予約は利用日の3日前まで。');
    expect(noted.body).toContain(`href="/procedures/${NOTED}/apply"`);
  });

  it("follows a signed-in resident's own municipality, whatever the query says", async () => {
    const list = await browse(resident, 'GET', `/procedures?municipality=${SAPPORO}`);
    expect(list.body).toContain('サインインしている方の市区町村（東京都千代田区）の手続を表示しています。');
    expect(list.body).not.toContain('<select id="municipality"');
    expect(notOfferedPart(list.body)).toContain(`<a href="/procedures/${OFF}">`);
    const detail = await browse(resident, 'GET', `/procedures/${OFF}?municipality=${SAPPORO}`);
    expect(detail.body).toContain('オンラインで受け付けていません');
    expect(detail.body).not.toContain(`/procedures/${OFF}/apply`);
  });

  it('refuses the form of a procedure turned off with a page, not a JSON problem', async () => {
    for (const [method, url] of [
      ['GET', `/procedures/${OFF}/apply`],
      ['GET', `/procedures/${OFF}/apply?step=2`],
      ['POST', `/procedures/${OFF}/apply?step=1`],
      ['GET', `/procedures/${OFF}/apply/attachments`],
      ['GET', `/procedures/${OFF}/apply/confirm`],
    ] as const) {
      const response = await browse(
        resident,
        method,
        url,
        method === 'POST' ? { action: 'save' } : undefined,
      );
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('<h1>オンラインでは受け付けていません</h1>');
      expect(response.body).toContain(note.ja);
      expect(response.body).toContain(`href="/procedures/${OFF}"`);
    }
    // Nothing was kept for it.
    const drafts = await sql<{ n: number }>`
      select count(*)::int as n from procedure_drafts where procedure_id = ${OFF}`.execute(
      zones.internet.context.database.db,
    );
    expect(drafts.rows[0]!.n).toBe(0);
  });
});

describe('a form filled from the registry', () => {
  const APPLY = `/procedures/${NURSERY}/apply`;

  it('asks once and says it is waiting, with a button and a served script to show the step again', async () => {
    const first = await browse(resident, 'GET', APPLY);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.body).toContain(WAITING);
    expect(first.body).toContain('<script type="module" src="/assets/procedures/registry-wait.js"></script>');
    expect(first.body).toContain('form="step-form" name="action" value="registry"');
    // No self-refreshing page (WCAG 2.2.1): the script waits for the answer, the button without it.
    expect(first.body).not.toContain('http-equiv');
    expect(first.headers['content-security-policy']).toContain("script-src 'self'");

    const again = await browse(resident, 'GET', `${APPLY}?step=5`);
    expect(again.body).toContain(WAITING);
    expect(await requestsMade()).toEqual(['success']);

    const script = await zones.internet.app.inject({
      method: 'GET',
      url: '/assets/procedures/registry-wait.js',
    });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.body).toContain('/api/v1/me/prefill');
  });

  it('fills the empty items and the household once the answer is here, keeping what was typed', async () => {
    // Typed while waiting, saved by the page's button (which then shows the step again).
    const typed = await browse(resident, 'POST', `${APPLY}?step=1`, {
      '/guardian/name': '佐藤　はな子',
      '/guardian/phone': '03-1234-5678',
      action: 'registry',
    });
    expect(typed.statusCode, typed.body).toBe(303);
    expect(typed.headers.location).toBe(`${APPLY}?step=1`);
    expect((await browse(resident, 'GET', typed.headers.location as string)).body).toContain(WAITING);

    // mynumber pulls the request from lgwan and answers; the portal pulls the answer.
    await zones.mynumber.gateway.pull('lgwan', 100);
    await zones.internet.gateway.pull('lgwan', 100);

    const filled = await browse(resident, 'GET', `${APPLY}?step=1`);
    expect(filled.statusCode).toBe(200);
    expect(filled.body).toContain(FILLED);
    expect(filled.body).not.toContain(WAITING);
    expect(filled.body).not.toContain('registry-wait.js');
    expect(valueIn(filled.body, '/guardian/name')).toBe('佐藤　はな子');
    expect(valueIn(filled.body, '/guardian/phone')).toBe('03-1234-5678');
    expect(valueIn(filled.body, '/guardian/birthDate')).toBe('1950-03-03');
    expect(valueIn(filled.body, '/guardian/address')).toContain('千代田');
    expect(valueIn(filled.body, '/guardian/nameKana')).toMatch(/^[ァ-ヶー　]+$/);

    const household = await browse(resident, 'GET', `${APPLY}?step=5`);
    expect(valueIn(household.body, '/household/0/name')).toBe('佐藤　花子');
    expect(valueIn(household.body, '/household/0/relationship')).toBe('世帯主');
    expect(valueIn(household.body, '/household/1/name')).toBe('佐藤　健一');
    expect(valueIn(household.body, '/household/1/relationship')).toBe('夫');
    expect(valueIn(household.body, '/household/1/birthDate')).toBe('1948-08-08');
    expect(household.body).not.toContain(FILLED);
    expect(valueIn(household.body, '/household/2/name')).toBeUndefined();
  });

  it('fills a draft once: what the resident empties afterwards stays empty', async () => {
    const page = await browse(resident, 'GET', `${APPLY}?step=1`);
    const form: Form = {};
    for (const name of ['name', 'birthDate', 'postalCode', 'address', 'phone', 'relationshipToChild']) {
      form[`/guardian/${name}`] = valueIn(page.body, `/guardian/${name}`) ?? '';
    }
    const saved = await browse(resident, 'POST', `${APPLY}?step=1`, {
      ...form,
      '/guardian/nameKana': '',
      action: 'save',
    });
    expect(saved.statusCode).toBe(303);
    const after = await browse(resident, 'GET', saved.headers.location as string);
    expect(valueIn(after.body, '/guardian/nameKana')).toBe('');
    expect(valueIn(after.body, '/guardian/name')).toBe('佐藤　はな子');
    expect(after.body).not.toContain(FILLED);
    expect(after.body).not.toContain(WAITING);
    // A step posted with 次へ while the answer waits unused is shown again, filled, to check.
    const status = '/procedures/nursery-status-report/apply';
    const posted = await browse(resident, 'POST', `${status}?step=1`, {
      '/guardian/phone': '090-1111-2222',
      action: 'next',
    });
    expect(posted.statusCode, posted.body).toBe(303);
    expect(posted.headers.location).toBe(`${status}?step=1`);
    const shown = await browse(resident, 'GET', posted.headers.location as string);
    expect(shown.body).toContain(FILLED);
    expect(valueIn(shown.body, '/guardian/phone')).toBe('090-1111-2222');
    expect(valueIn(shown.body, '/guardian/birthDate')).toBe('1950-03-03');
    // Another form the answer is still fresh for is filled from it, without asking again.
    const other = await browse(resident, 'GET', '/procedures/childcare-benefit-certification/apply');
    expect(other.body).toContain(FILLED);
    expect(await requestsMade()).toEqual(['success']);
  });
});
