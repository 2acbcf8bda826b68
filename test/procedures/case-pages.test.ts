// The back office's pages for online-procedure cases (lgwan zone, case workers): the queue with
// days left, one case with its data titled from the form's schema, the clerk's steps as plain
// forms (303 back to the case, or the case again with what was wrong), and the refusals:
// another municipality's clerk, a form without its CSRF token, a rejection without reasons.
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, type LgCode, parseLgCode } from '../../src/core/index.ts';
import { registerIdentity } from '../../src/modules/identity/index.ts';
import { signDetached } from '../../src/modules/jpki/index.ts';
import { RSA_SHA256, subtle } from '../../src/modules/jpki/pki/crypto.ts';
import { issueTestCertificate, testBasicFour, testHierarchy } from '../../src/modules/jpki/test-support.ts';
import {
  type CaseContext,
  type CaseUpdate,
  loadCatalogue,
  type NoticeInput,
  receiveCorrection,
  receiveSubmission,
  registerCasePages,
  registerCaseRoutes,
} from '../../src/modules/procedures/index.ts';
import { registerWeb } from '../../src/web/index.ts';
import { lgwanZone, type RunningZone, type ZoneDefinition } from '../../src/zones/index.ts';
import { type SignedInStaff, signedInStaff } from '../support/staff.ts';
import { openTestZone } from '../support/zone.ts';

const OWN = '131016';
const OTHER = '011002';
const PROCEDURE = 'child-allowance-certification';
const catalogue = loadCatalogue();
const valid = catalogue.get(PROCEDURE)!.definition.examples.valid as Record<string, unknown>;
// 2025-06-10 10:00 in Tokyo.
const clock = fixedClock(new Date('2025-06-10T01:00:00Z'));

const CURRENT = '131016-20250601-ABCDEF'; // filed 2025-06-01: 30 days → due 2025-07-01, 21 days left
const OVERDUE = '131016-20250401-GHJKLM'; // filed 2025-04-01: due 2025-05-01, 40 days over
const DECIDE = '131016-20250602-PQRSTU';
const THEIRS = '011002-20250601-VWXYZ2';

const updates: CaseUpdate[] = [];
const noticeInputs: NoticeInput[] = [];

/** lgwan with the case routes and pages over a context whose outside effects are recorded, not sent. */
const definition: ZoneDefinition = {
  ...lgwanZone,
  register(app, context) {
    registerIdentity(app, context);
    registerWeb(app, context);
    const cases: CaseContext = {
      ...context,
      catalogue,
      notifyResident: async (_trx, _scope, update) => {
        updates.push(update);
      },
      makeNotice: async (input) => {
        noticeInputs.push(input);
        const title = `${input.procedure.definition.name.ja} ${input.outcome === 'approved' ? '決定通知書' : '却下通知書'}`;
        return { noticeId: randomUUID(), title, pdf: new TextEncoder().encode('%PDF-1.7\n%%EOF\n') };
      },
    };
    registerCaseRoutes(app, cases);
    registerCasePages(app, cases);
  },
};

let zone: RunningZone;
let clerk: SignedInStaff;
let colleague: SignedInStaff;
let stranger: SignedInStaff;
let card: Awaited<ReturnType<typeof issueTestCertificate>>;
const photo = new Uint8Array(Buffer.from('a sanitized jpeg, rebuilt'));
const photoId = randomUUID();
const submissions: Record<string, string> = {};

function documentOf(code: string, data: Record<string, unknown>, attachments: unknown[] = []) {
  return new TextEncoder().encode(
    JSON.stringify({
      procedureId: PROCEDURE,
      municipalityCode: code,
      data,
      attachments,
      filedAt: '2025-06-01T00:30:00Z',
    }),
  );
}

async function sign(document: Uint8Array) {
  const sign = async (data: Uint8Array) =>
    new Uint8Array(await subtle.sign(RSA_SHA256, card.keys.privateKey, new Uint8Array(data)));
  return signDetached(
    document,
    { certificate: card.certificate, sign },
    { signingTime: new Date('2025-06-01T00:29:00Z') },
  );
}

async function file(code: string, receiptNumber: string, submittedAt: string, attachments: unknown[] = []) {
  const document = documentOf(code, valid, attachments);
  const signature = await sign(document);
  const submissionId = randomUUID();
  submissions[receiptNumber] = submissionId;
  await zone.context.database.db.transaction().execute((trx) =>
    receiveSubmission(
      trx,
      parseLgCode(code),
      catalogue,
      {
        submissionId,
        receiptNumber,
        procedureId: PROCEDURE,
        submittedBy: 'resident:test',
        submittedAt,
        document,
        signature,
      },
      clock.now(),
    ),
  );
}

const get = (url: string, who?: SignedInStaff) =>
  zone.app.inject({ method: 'GET', url, headers: who ? { cookie: who.cookie, accept: 'text/html' } : {} });

function post(url: string, who: SignedInStaff, fields: [string, string][], csrf = true) {
  const body = new URLSearchParams(fields);
  if (csrf) body.append('_csrf', who.csrfToken);
  return zone.app.inject({
    method: 'POST',
    url,
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: body.toString(),
  });
}

async function statusOf(receiptNumber: string): Promise<string> {
  const rows = await sql<{ status: string }>`
    select status from procedure_cases where receipt_number = ${receiptNumber}`.execute(
    zone.context.database.db,
  );
  return rows.rows[0]!.status;
}

beforeAll(async () => {
  card = await issueTestCertificate(await testHierarchy(), 'signing');
  zone = await openTestZone(definition, { clock });
  clerk = await signedInStaff(zone, { municipalityCode: OWN, roles: ['case-worker'] });
  colleague = await signedInStaff(zone, { municipalityCode: OWN, roles: ['case-worker'] });
  stranger = await signedInStaff(zone, { municipalityCode: OTHER, roles: ['case-worker'] });
  // The photo has crossed the sanitizer and arrived in lgwan.
  const sha256 = createHash('sha256').update(photo).digest('hex');
  await sql`insert into sanitize_received_files
      (municipality_code, upload_id, uploaded_by, uploaded_at, received_at, media_type, bytes, sha256, content, report)
    values (${OWN}, ${photoId}, 'resident:test', now(), now(), 'image/jpeg', ${photo.length}, ${sha256}, ${photo}, '{}')`.execute(
    zone.context.database.db,
  );
  await file(OWN, CURRENT, '2025-06-01T00:30:00Z', [{ id: 'bank-account-proof', uploadId: photoId, sha256 }]);
  await file(OWN, OVERDUE, '2025-04-01T00:00:00Z');
  await file(OWN, DECIDE, '2025-06-02T00:00:00Z');
  await file(OTHER, THEIRS, '2025-06-01T00:00:00Z');
}, 60_000);
afterAll(async () => {
  await zone?.close();
});

describe('GET /cases', () => {
  it('lists the municipality’s open cases, most urgent first, with days left in words and the CSV link', async () => {
    const response = await get('/cases', clerk);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.body;
    expect(body).toContain('<html lang="ja">');
    expect(body).toContain(`<a href="/cases/${CURRENT}">${CURRENT}</a>`);
    expect(body).toContain('あと21日');
    expect(body).toContain('40日超過');
    expect(body).toContain('受付済み');
    expect(body).toContain('2025-06-01 09:30'); // filed, in Tokyo time
    expect(body).toContain('児童手当等の受給資格及び児童手当の額についての認定請求');
    expect(body).toContain('<th scope="col">残り日数</th>');
    expect(body.indexOf(OVERDUE)).toBeLessThan(body.indexOf(CURRENT));
    expect(body).not.toContain(THEIRS);
    expect(body).toContain('href="/api/v1/municipalities/131016/cases.csv?status=open"');
    expect(body).not.toMatch(/<script(?![^>]*src=)/);

    const csv = await get('/api/v1/municipalities/131016/cases.csv?status=open', clerk);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain(CURRENT);
  });

  it('filters by procedure, status and “mine”, and speaks English on request', async () => {
    const mine = await get('/cases?status=open&mine=1', clerk);
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('該当する申請はありません。');
    expect(mine.body).toContain(`assignedTo=${clerk.staffId}`);
    const other = await get('/cases?procedureId=nursery-admission-application&status=all', clerk);
    expect(other.body).not.toContain(CURRENT);
    const english = await get('/cases?lang=en', clerk);
    expect(english.body).toContain('<html lang="en">');
    expect(english.body).toContain('40 days overdue');
    const unknown = await get('/cases?procedureId=no-such-thing', clerk);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('error-summary');
  });
});

describe('GET /cases/:receiptNumber', () => {
  it('shows the form data under the schema’s Japanese titles, the attachment, the signer’s basic four; and audits the read', async () => {
    const response = await get(`/cases/${CURRENT}`, clerk);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.body;
    for (const title of [
      '請求者',
      '氏名（フリガナ）',
      '支給対象となる児童',
      '児童の氏名',
      '受取口座',
      '公金受取口座を利用する',
    ]) {
      expect(body).toContain(`<dt>${title}`);
    }
    expect(body).toContain('ヤマダ タロウ');
    expect(body).toContain('平成2年4月1日（1990-04-01）');
    expect(body).toContain('到着済み');
    expect(body).toContain(`href="/api/v1/municipalities/131016/cases/${CURRENT}/attachments/${photoId}"`);
    expect(body).toContain('署名は有効で、申請内容は改ざんされていません');
    expect(body).toContain(testBasicFour.name);
    expect(body).toContain(testBasicFour.address);
    expect(body).toContain('昭和33年4月1日（1958-04-01）');
    expect(body).toContain('<th scope="row">性別</th><td>男</td>');
    expect(body).toContain('name="_csrf"');
    expect(body).toContain('<label for="reject-reasons">');

    const audited = await sql<{ actor: string }>`
      select actor from audit_log where action = 'procedures.case.read' and target = ${CURRENT}`.execute(
      zone.context.database.db,
    );
    expect(audited.rows.map((r) => r.actor)).toContain(`staff:${clerk.staffId}`);

    const english = await get(`/cases/${CURRENT}?lang=en`, clerk);
    expect(english.body).toContain('<dt>Claimant');
  });

  it('answers 404 to a clerk of another municipality, and to a receipt that does not exist', async () => {
    const theirs = await get(`/cases/${CURRENT}`, stranger);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.body).toContain('申請が見つかりません');
    expect(theirs.body).not.toContain('ヤマダ');
    const step = await post(`/cases/${CURRENT}/review`, stranger, []);
    expect(step.statusCode).toBe(404);
    expect(await statusOf(CURRENT)).toBe('received');
    const api = await zone.app.inject({
      method: 'GET',
      url: `/api/v1/municipalities/${OWN}/cases/${CURRENT}`,
      headers: { cookie: stranger.cookie },
    });
    expect(api.statusCode).toBe(403);
    expect((await get('/cases/not-a-receipt', clerk)).statusCode).toBe(404);
  });
});

describe('the clerk’s steps', () => {
  it('assigns, comments, requests a correction (303 back with a message); the correction shows what changed', async () => {
    const assigned = await post(`/cases/${CURRENT}/assignment`, clerk, [['staffId', colleague.staffId]]);
    expect(assigned.statusCode, assigned.body).toBe(303);
    expect(assigned.headers.location).toBe(`/cases/${CURRENT}?done=assigned`);
    const commented = await post(`/cases/${CURRENT}/comments`, clerk, [['text', '口座の確認が必要']]);
    expect(commented.statusCode).toBe(303);

    const requested = await post(`/cases/${CURRENT}/correction-request`, clerk, [
      ['message', '氏名のフリガナを確認してください。'],
      ['fields', 'claimant'],
      ['fields', 'children'],
    ]);
    expect(requested.statusCode, requested.body).toBe(303);
    expect(requested.headers.location).toBe(`/cases/${CURRENT}?done=correction-requested`);
    expect(await statusOf(CURRENT)).toBe('correction-requested');
    expect(updates.at(-1)).toMatchObject({
      status: 'correction-requested',
      fields: ['claimant', 'children'],
    });

    const shown = await get(requested.headers.location as string, clerk);
    expect(shown.body).toContain('補正を依頼しました。');
    expect(shown.body).toContain('補正依頼中');
    expect(shown.body).toContain('口座の確認が必要');
    expect(shown.body).toContain('補正が必要な項目: 請求者、支給対象となる児童');

    // The resident answers with a corrected, signed version 2.
    const corrected = { ...valid, claimant: { ...(valid.claimant as object), phone: '03-9999-0000' } };
    const document = documentOf(OWN, corrected);
    await zone.context.database.db.transaction().execute(async (trx) =>
      receiveCorrection(
        trx,
        OWN as LgCode,
        catalogue,
        {
          submissionId: submissions[CURRENT]!,
          version: 2,
          submittedAt: '2025-06-05T00:00:00Z',
          document,
          signature: await sign(document),
        },
        clock.now(),
        async () => {},
      ),
    );
    const again = await get(`/cases/${CURRENT}`, clerk);
    expect(again.body).toContain('<mark>03-9999-0000</mark>');
    expect(again.body).toContain('前の版から変更された項目: 請求者');
    expect(again.body).toContain('<summary>第1版');
    expect(again.body).toContain('03-1234-5678');
  });

  it('refuses an approval without the CSRF token (403), and changes nothing', async () => {
    const response = await post(`/cases/${DECIDE}/decision`, clerk, [['outcome', 'approved']], false);
    expect(response.statusCode).toBe(403);
    expect(await statusOf(DECIDE)).toBe('received');
  });

  it('shows a rejection without reasons again with the message at the field (400), keeping the case as it was', async () => {
    const response = await post(`/cases/${DECIDE}/decision`, clerk, [
      ['outcome', 'rejected'],
      ['reasons', '  '],
    ]);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('error-summary');
    expect(response.body).toContain('<a href="#reject-reasons">却下の理由を入力してください');
    expect(response.body).toContain('aria-invalid="true"');
    expect(await statusOf(DECIDE)).toBe('received');
  });

  it('approves with the notice issued, then refuses a second step on the closed case with 409', async () => {
    const approved = await post(`/cases/${DECIDE}/decision`, clerk, [
      ['outcome', 'approved'],
      ['reasons', ''],
    ]);
    expect(approved.statusCode, approved.body).toBe(303);
    expect(await statusOf(DECIDE)).toBe('approved');
    expect(noticeInputs.at(-1)).toMatchObject({ outcome: 'approved', receiptNumber: DECIDE });
    const shown = await get(`/cases/${DECIDE}`, clerk);
    expect(shown.body).toContain('決定通知書');
    expect(shown.body).toContain('この申請は処理済みです');
    expect(shown.body).not.toContain('name="outcome"');

    const late = await post(`/cases/${DECIDE}/review`, clerk, []);
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('現在の状態では、その処理はできません');
  });
});
