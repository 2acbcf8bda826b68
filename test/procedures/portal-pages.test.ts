// The resident portal's pages for online procedures, on the three zones: the catalogue, the
// step-by-step form with its draft and the catalogue's Japanese messages, an attachment through
// the sanitizer, the confirmation page with the exact bytes to sign, filing with the card's
// signature (once, however often it is posted), the receipt; then a correction asked by the
// office and answered on the pages, the fee, and another resident kept out.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue, TEST_CARDS } from '../../src/modules/procedures/index.ts';
import { patternJpeg } from '../../src/modules/sanitize/image/test-corpus.ts';
import { forwardSubmissions } from '../../src/zones/internet/procedures.ts';
import type { ThreeZones } from '../gateway/support.ts';
import { openZonesWithPki, type SignedInResident, signedInResident, upload } from '../sanitize/support.ts';
import { signedInStaff } from '../support/staff.ts';
import { asResident, asStaff, browsePortal, type PageForm, signedFiling, signWithCard } from './support.ts';

const PROCEDURE = 'child-allowance-certification';
const APPLY = `/procedures/${PROCEDURE}/apply`;
let zones: ThreeZones & { remove(): void };
let resident: SignedInResident;
let other: SignedInResident;

beforeAll(async () => {
  zones = await openZonesWithPki();
  resident = await signedInResident(zones, 831);
  other = await signedInResident(zones, 832);
});
afterAll(async () => {
  await zones?.close();
  zones?.remove();
});

type Form = PageForm;

/** A browser's request: the session cookie, and a form body (with the session's `_csrf`) on POST. */
const browse = (who: SignedInResident | undefined, method: 'GET' | 'POST', url: string, form?: Form) =>
  browsePortal(zones, who, method, url, form);

/** A file posted as a browser does (multipart/form-data), with the CSRF field. */
function postFile(who: SignedInResident, url: string, file: { name: string; bytes: Uint8Array }) {
  const boundary = `----machi${randomUUID()}`;
  const head = (name: string, extra = '') =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n`;
  const payload = Buffer.concat([
    Buffer.from(`${head('_csrf')}\r\n${who.csrf}\r\n`),
    Buffer.from(`${head('file', `; filename="${file.name}"`)}Content-Type: application/octet-stream\r\n\r\n`),
    Buffer.from(file.bytes),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return zones.internet.app.inject({
    method: 'POST',
    url,
    headers: { cookie: who.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
}

const hidden = (page: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1];
/** The card's signature of the bytes the confirmation page shows, as its sign form posts it. */
const sign = async (who: SignedInResident, document: Uint8Array) =>
  Buffer.from(await signWithCard(who.card, document)).toString('base64');

const claimant: Form = {
  '/claimant/name': '佐藤　花子',
  '/claimant/nameKana': 'サトウ　ハナコ',
  '/claimant/birthDate': '1950-03-03',
  '/claimant/postalCode': '100-0001',
  '/claimant/address': '東京都千代田区千代田一丁目1番1号',
  '/claimant/phone': '０３－１２３４－５６７８',
  '/claimant/occupation': '会社員',
  '/pension': 'employees-pension',
};

describe('the catalogue pages', () => {
  it('lists procedures by category, finds them by name, and describes one', async () => {
    const list = await browse(undefined, 'GET', '/procedures');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('<h2 id="category-child-rearing">子育て</h2>');
    expect(list.body).toContain(
      `<a href="/procedures/${PROCEDURE}">児童手当等の受給資格及び児童手当の額についての認定請求</a>`,
    );
    expect(list.body).not.toMatch(/<script(?![^>]*src=)/);

    const found = await browse(undefined, 'GET', `/procedures?q=${encodeURIComponent('保育')}`);
    expect(found.body).toContain('保育施設等の利用申込');
    expect(found.body).not.toContain('要介護・要支援認定の申請');

    const detail = await browse(undefined, 'GET', `/procedures/${PROCEDURE}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('児童手当法第7条第1項');
    expect(detail.body).toContain('市区町村が住民基本台帳で確認するため、添付は不要です。');
    expect(detail.body).toContain('30日');
    // Not signed in: the start button signs in with the card first, then comes back.
    expect(detail.body).toContain(`href="/sign-in?next=${encodeURIComponent(APPLY)}"`);
    const signIn = await browse(undefined, 'GET', `/sign-in?next=${encodeURIComponent(APPLY)}`);
    expect(signIn.body).toContain(`data-next="${APPLY}"`);
    expect((await browse(undefined, 'GET', '/sign-in?next=//evil.example/')).body).not.toContain('data-next');

    const english = await browse(undefined, 'GET', `/procedures/${PROCEDURE}?lang=en`);
    expect(english.body).toContain('Claim for certification of eligibility for the child allowance');
    expect((await browse(resident, 'GET', `/procedures/${PROCEDURE}?lang=ja`)).body).toContain(
      `href="${APPLY}"`,
    );
    expect((await browse(undefined, 'GET', '/procedures/no-such-thing')).statusCode).toBe(404);
  });

  it('sends a resident without a session to sign in, and back', async () => {
    const response = await browse(undefined, 'GET', `${APPLY}?step=2`);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/sign-in?next=${encodeURIComponent(`${APPLY}?step=2`)}`);
  });
});

describe('filing through the pages', () => {
  let receiptUrl = '';

  it('refuses a step with the catalogue’s Japanese messages, and keeps what was typed', async () => {
    const refused = await browse(resident, 'POST', `${APPLY}?step=1`, {
      ...claimant,
      '/claimant/nameKana': 'さとう',
      '/claimant/phone': '',
      action: 'next',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('class="error-summary"');
    expect(refused.body).toContain(
      '<a href="#f-claimant-nameKana">「氏名（フリガナ）」は全角カタカナで入力してください。</a>',
    );
    expect(refused.body).toContain('「電話番号」を入力してください。');
    expect(refused.body).toMatch(
      /id="f-claimant-nameKana" name="\/claimant\/nameKana" aria-describedby="f-claimant-nameKana-hint f-claimant-nameKana-error" aria-invalid="true"/,
    );
    // The basic four are marked for the card's prefill script.
    expect(refused.body).toContain('data-prefill="name"');
    expect(refused.body).toContain('<script type="module" src="/assets/procedures/prefill.js"></script>');

    // The draft survives: another request shows what was typed.
    const again = await browse(resident, 'GET', `${APPLY}?step=1`);
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('value="さとう"');
    expect(again.body).toContain('value="佐藤　花子"');
    const english = await browse(resident, 'GET', `${APPLY}?step=1&lang=en`);
    expect(english.body).toContain('<h1>Claimant</h1>');
    expect(english.body).toContain('>Continue</button>');
    expect(english.body).toContain('Employees’ Pension');
    await browse(resident, 'GET', `${APPLY}?step=1&lang=ja`);
  });

  it('goes step by step, with rows added without script', async () => {
    const first = await browse(resident, 'POST', `${APPLY}?step=1`, { ...claimant, action: 'next' });
    expect(first.statusCode, first.body).toBe(303);
    expect(first.headers.location).toBe(`${APPLY}?step=2`);
    // Full-width digits were read as the pattern wants them.
    expect((await browse(resident, 'GET', `${APPLY}?step=1`)).body).toContain('value="03-1234-5678"');

    const spouse = await browse(resident, 'POST', `${APPLY}?step=2`, { action: 'next' });
    expect(spouse.headers.location).toBe(`${APPLY}?step=3`);

    const child = {
      'rows:/children': '1',
      '/children/0/name': '佐藤　一郎',
      '/children/0/birthDate': '2024/12/24',
      '/children/0/relationship': '長男',
      '/children/0/livesTogether': 'true',
    };
    const added = await browse(resident, 'POST', `${APPLY}?step=3`, { ...child, action: 'add:/children' });
    expect(added.statusCode).toBe(200);
    expect(added.body).toContain('name="/children/1/name"');
    expect(added.body).toContain('name="rows:/children" value="2"');
    const removed = await browse(resident, 'POST', `${APPLY}?step=3`, {
      ...child,
      'rows:/children': '2',
      '/children/1/name': '消す子',
      action: 'remove:/children/1',
    });
    expect(removed.body).not.toContain('消す子');
    const children = await browse(resident, 'POST', `${APPLY}?step=3`, { ...child, action: 'next' });
    expect(children.statusCode, children.body).toBe(303);

    const account = await browse(resident, 'POST', `${APPLY}?step=4`, {
      '/account/usePublicFundsAccount': 'true',
      action: 'next',
    });
    expect(account.headers.location).toBe(`${APPLY}/attachments`);
  });

  it('takes an attachment through the sanitizer, and says why one is refused', async () => {
    const page = await browse(resident, 'GET', `${APPLY}/attachments`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('enctype="multipart/form-data"');

    const refused = await postFile(resident, `${APPLY}/attachments/bank-account-proof`, {
      name: 'tsuchou.exe',
      bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]),
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('この種類のファイルは受け付けていません。');

    const photo = await postFile(resident, `${APPLY}/attachments/bank-account-proof`, {
      name: 'tsuchou.jpg',
      bytes: patternJpeg(320, 240),
    });
    expect(photo.statusCode, photo.body).toBe(303);
    const shown = await browse(resident, 'GET', photo.headers.location as string);
    expect(shown.body).toContain('受け付けました（無害化済み）');
    expect(shown.body).toContain('tsuchou.jpg');

    const next = await browse(resident, 'POST', `${APPLY}/attachments`, { action: 'next' });
    expect(next.headers.location).toBe(`${APPLY}/confirm`);
  });

  it('shows the exact bytes to sign, the same each time the page is shown', async () => {
    const page = await browse(resident, 'GET', `${APPLY}/confirm`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('厚生年金');
    expect(page.body).toContain('data-card="sign"');
    expect(page.body).toContain('<script type="module" src="/assets/jpki/browser-sign.js"></script>');
    // The password never leaves the browser: its input has no name, so a form without script cannot post it.
    expect(page.body).toMatch(/<input type="password" id="password" maxlength/);
    const document = Buffer.from(hidden(page.body, 'document')!, 'base64');
    const parsed = JSON.parse(document.toString('utf8'));
    expect(parsed).toMatchObject({
      procedureId: PROCEDURE,
      municipalityCode: '131016',
      data: {
        claimant: { name: '佐藤　花子', phone: '03-1234-5678' },
        pension: 'employees-pension',
        children: [
          { name: '佐藤　一郎', birthDate: '2024-12-24', relationship: '長男', livesTogether: true },
        ],
        account: { usePublicFundsAccount: true },
      },
    });
    expect(parsed.attachments).toEqual([
      {
        id: 'bank-account-proof',
        uploadId: expect.any(String),
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
    // Exactly signed-document.ts's shape, in its order, compact UTF-8 JSON.
    expect(Object.keys(parsed)).toEqual([
      'procedureId',
      'municipalityCode',
      'data',
      'attachments',
      'filedAt',
    ]);
    expect(document.toString('utf8')).toBe(JSON.stringify(parsed));
    expect(Object.keys(parsed.data.claimant)).toEqual([
      'name',
      'nameKana',
      'birthDate',
      'postalCode',
      'address',
      'phone',
      'occupation',
    ]);
    expect(loadCatalogue().get(PROCEDURE)!.validate(parsed.data)).toEqual([]);

    const again = await browse(resident, 'GET', `${APPLY}/confirm`);
    expect(hidden(again.body, 'document')).toBe(hidden(page.body, 'document'));
    expect(hidden(again.body, 'idempotencyKey')).toBe(hidden(page.body, 'idempotencyKey'));
  });

  it('files once with a valid signature, however often it is posted, and shows the receipt', async () => {
    const page = await browse(resident, 'GET', `${APPLY}/confirm`);
    const document = hidden(page.body, 'document')!;
    const form = {
      idempotencyKey: hidden(page.body, 'idempotencyKey')!,
      document,
      signature: await sign(resident, new Uint8Array(Buffer.from(document, 'base64'))),
    };
    const unsigned = await browse(resident, 'POST', `${APPLY}/confirm`, { ...form, signature: '' });
    expect(unsigned.statusCode).toBe(400);
    expect(unsigned.body).toContain('マイナンバーカードによる電子署名が必要です。');

    const filed = await browse(resident, 'POST', `${APPLY}/confirm`, form);
    expect(filed.statusCode, filed.body).toBe(303);
    receiptUrl = filed.headers.location as string;
    expect(receiptUrl).toMatch(/^\/submissions\/[0-9a-f-]{36}\?done=submitted$/);
    const twice = await browse(resident, 'POST', `${APPLY}/confirm`, form);
    expect(twice.headers.location).toBe(receiptUrl);
    const filings = await zones.internet.context.database.db
      .selectFrom('procedure_submissions' as never)
      .select(['submission_id' as never, 'receipt_number' as never, 'document' as never])
      .execute();
    expect(filings).toHaveLength(1);
    const row = filings[0] as unknown as {
      submission_id: string;
      receipt_number: string;
      document: Uint8Array;
    };
    expect(Buffer.from(row.document).toString('base64')).toBe(document);

    const receipt = await browse(resident, 'GET', receiptUrl);
    expect(receipt.statusCode).toBe(200);
    expect(receipt.body).toContain('申請を受け付けました');
    expect(receipt.body).toContain(
      `<p class="receipt__number" aria-labelledby="receipt-label">${row.receipt_number}</p>`,
    );
    expect(receipt.body).toContain('取り下げる');
    const list = await browse(resident, 'GET', '/submissions');
    expect(list.body).toContain(row.receipt_number);
    expect(list.body).toContain('受付済み');
    // The draft went with the filing: the form starts afresh.
    expect((await browse(resident, 'GET', `${APPLY}?step=1`)).body).not.toContain('value="佐藤　花子"');
  });

  it('keeps one resident’s filings from another', async () => {
    const submissionId = receiptUrl.split('/')[2]!.split('?')[0]!;
    const seen = await browse(other, 'GET', `/submissions/${submissionId}`);
    expect(seen.statusCode).toBe(404);
    expect(seen.body).not.toContain('131016-');
    expect((await browse(other, 'GET', `/submissions/${submissionId}/fee`)).statusCode).toBe(404);
    const withdrawn = await browse(other, 'POST', `/submissions/${submissionId}/withdrawal`, {});
    expect(withdrawn.statusCode).toBe(404);
    expect((await browse(other, 'GET', '/submissions')).body).toContain('まだ申請はありません。');
    // And a form post without the session's token is refused.
    const forged = await zones.internet.app.inject({
      method: 'POST',
      url: `/submissions/${submissionId}/withdrawal`,
      headers: { cookie: resident.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '_csrf=forged',
    });
    expect(forged.statusCode).toBe(403);
  });

  it('answers a request for correction on the pages, signed again', async () => {
    const submissionId = receiptUrl.split('/')[2]!.split('?')[0]!;
    await forwardSubmissions(zones.internet.context, zones.internet.gateway);
    const clerk = await signedInStaff(zones.lgwan, { municipalityCode: '131016', roles: ['case-worker'] });
    const receiptNumber = (await browse(resident, 'GET', `/submissions/${submissionId}`)).body.match(
      /receipt__number[^>]*>([^<]+)</,
    )![1]!;
    const asked = await asStaff(zones.lgwan, clerk)(
      'POST',
      `/api/v1/municipalities/131016/cases/${receiptNumber}/correction-request`,
      { message: '勤務先を記入してください。', fields: ['claimant'] },
    );
    expect(asked.statusCode, asked.body).toBe(200);
    await zones.internet.gateway.pull('lgwan', 100);

    const status = await browse(resident, 'GET', `/submissions/${submissionId}`);
    expect(status.body).toContain('補正依頼あり');
    expect(status.body).toContain('勤務先を記入してください。');
    const start = await browse(resident, 'POST', `/submissions/${submissionId}/correction`, {});
    expect(start.statusCode).toBe(303);
    const step = `${APPLY}?step=1&correction=${submissionId}`;
    expect(start.headers.location).toBe(step);
    const form = await browse(resident, 'GET', step);
    expect(form.body).toContain('補正が必要な項目');
    expect(form.body).toContain('value="佐藤　花子"'); // the filing as it stands
    const saved = await browse(resident, 'POST', step, {
      ...claimant,
      '/claimant/employer': '株式会社まち',
      action: 'next',
    });
    expect(saved.headers.location).toBe(`${APPLY}?step=2&correction=${submissionId}`);

    const confirm = await browse(resident, 'GET', `${APPLY}/confirm?correction=${submissionId}`);
    expect(confirm.statusCode, confirm.body).toBe(200);
    const document = hidden(confirm.body, 'document')!;
    expect(JSON.parse(Buffer.from(document, 'base64').toString('utf8')).data.claimant.employer).toBe(
      '株式会社まち',
    );
    const corrected = await browse(resident, 'POST', `${APPLY}/confirm?correction=${submissionId}`, {
      idempotencyKey: hidden(confirm.body, 'idempotencyKey')!,
      document,
      signature: await sign(resident, new Uint8Array(Buffer.from(document, 'base64'))),
    });
    expect(corrected.statusCode, corrected.body).toBe(303);
    expect(corrected.headers.location).toBe(`/submissions/${submissionId}?done=corrected`);
    const versions = await zones.internet.context.database.db
      .selectFrom('procedure_submission_versions' as never)
      .selectAll()
      .execute();
    expect(versions).toHaveLength(1);
  });
});

describe('the fee and the inbox', () => {
  it('pays a filing’s fee by card on the page, once', async () => {
    const procedureId = 'vehicle-parking-certificate';
    const attach = async (id: string, seed: number) => {
      const uploaded = await upload(zones, other, patternJpeg(200 + seed, 150));
      return { id, uploadId: uploaded.json().uploadId, sha256: uploaded.json().report.output.sha256 };
    };
    const filed = await asResident(zones, other)(
      'POST',
      `/api/v1/procedures/${procedureId}/submissions`,
      await signedFiling(other, {
        procedureId,
        data: loadCatalogue().get(procedureId)!.definition.examples.valid,
        attachments: [await attach('location-map', 1), await attach('right-of-use', 2)],
      }),
    );
    expect(filed.statusCode, filed.body).toBe(201);
    const { submissionId } = filed.json();

    const receipt = await browse(other, 'GET', `/submissions/${submissionId}`);
    expect(receipt.body).toContain('手数料2,600円のお支払いが必要です。');
    expect(receipt.body).toContain(`href="/submissions/${submissionId}/fee"`);
    const fee = `/submissions/${submissionId}/fee`;
    const page = await browse(other, 'GET', fee);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('カード番号');

    const declined = await browse(other, 'POST', fee, { method: 'card', cardNumber: TEST_CARDS.declined });
    expect(declined.statusCode).toBe(402);
    expect(declined.body).toContain('カードでのお支払いができませんでした。');
    const malformed = await browse(other, 'POST', fee, { method: 'card', cardNumber: '1234' });
    expect(malformed.statusCode).toBe(400);

    const paid = await browse(other, 'POST', fee, { method: 'card', cardNumber: TEST_CARDS.approved });
    expect(paid.statusCode, paid.body).toBe(303);
    expect(paid.headers.location).toBe(`/submissions/${submissionId}?done=paid`);
    const twice = await browse(other, 'POST', fee, { method: 'card', cardNumber: TEST_CARDS.approved });
    expect(twice.headers.location).toBe(`/submissions/${submissionId}?done=paid`);
    const charges = await zones.internet.context.database.db
      .selectFrom('test_payment_provider_payments' as never)
      .selectAll()
      .execute();
    expect(charges.filter((c) => (c as { status: string }).status === 'succeeded')).toHaveLength(1);
    expect((await browse(other, 'GET', `/submissions/${submissionId}?done=paid`)).body).toContain(
      '手数料のお支払いが完了しました。',
    );

    // Withdrawn before the review: here if it has not gone inward yet (the fee paid back), else asked of lgwan.
    const withdrawn = await browse(other, 'POST', `/submissions/${submissionId}/withdrawal`, {});
    expect(withdrawn.headers.location).toBe(`/submissions/${submissionId}?done=withdrawn`);
    const after = await browse(other, 'GET', withdrawn.headers.location as string);
    expect(after.body).toContain('取下げを申し出ました。');
    expect(after.body).not.toContain(`action="/submissions/${submissionId}/withdrawal"`);
  });

  it('lists what the office said, with unread notices marked', async () => {
    const inbox = await browse(resident, 'GET', '/inbox');
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain('補正依頼あり');
    expect(inbox.body).toContain('勤務先を記入してください。');
    const me = await browse(resident, 'GET', '/me');
    expect(me.body).toContain('href="/submissions"');
    expect(me.body).toContain('href="/inbox"');
  });
});
