// The back office end to end on the three zones: a filing becomes a case in lgwan; a case
// worker signed in with TOTP finds it in the queue, asks for a correction; the resident hears
// of it on the portal, corrects and signs again; the clerk approves; the signed notice
// (処分通知) reaches the resident's inbox and verifies. Then the refusals: another
// municipality's clerk, a missing role or CSRF token, a step the case's status forbids.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LgCode } from '../../src/core/tenancy/index.ts';
import { loadCatalogue, loadNoticeTrust, verifyNoticePdf } from '../../src/modules/procedures/index.ts';
import { patternJpeg } from '../../src/modules/sanitize/image/test-corpus.ts';
import { receivedFiles } from '../../src/modules/sanitize/index.ts';
import { forwardSubmissions } from '../../src/zones/internet/procedures.ts';
import { forwardUploads } from '../../src/zones/internet/uploads.ts';
import type { ThreeZones } from '../gateway/support.ts';
import { openZonesWithPki, type SignedInResident, signedInResident, upload } from '../sanitize/support.ts';
import { type SignedInStaff, signedInStaff } from '../support/staff.ts';
import { asResident, asStaff, signedFiling } from './support.ts';

const PROCEDURE = 'child-allowance-certification';
const procedure = loadCatalogue().get(PROCEDURE)!;
const valid = procedure.definition.examples.valid;
let zones: ThreeZones & { remove(): void };
let resident: SignedInResident;
let clerk: SignedInStaff;
let photo: { uploadId: string; sha256: string };

beforeAll(async () => {
  zones = await openZonesWithPki();
  resident = await signedInResident(zones, 801);
  clerk = await signedInStaff(zones.lgwan, { municipalityCode: '131016', roles: ['case-worker'] });
  const uploaded = await upload(zones, resident, patternJpeg(320, 240));
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  photo = { uploadId: uploaded.json().uploadId, sha256: uploaded.json().report.output.sha256 };
  // The upload goes inward on its own, in the background, with no order against the filing;
  // the case view below expects the file there, so it is sent (again, harmlessly) and waited for.
  await forwardUploads(zones.internet.context, zones.internet.gateway);
  const inLgwan = await receivedFiles(
    zones.lgwan.context.database.db,
    { municipalityCode: '131016' as LgCode },
    [photo.uploadId],
  );
  expect(inLgwan).toHaveLength(1);
});
afterAll(async () => {
  await zones?.close();
  zones?.remove();
});

const signed = (data: Record<string, unknown>) =>
  signedFiling(resident, {
    procedureId: PROCEDURE,
    data,
    attachments: [{ id: 'bank-account-proof', ...photo }],
  });

async function fileOne(): Promise<{ submissionId: string; receiptNumber: string }> {
  const response = await portal('POST', `/api/v1/procedures/${PROCEDURE}/submissions`, await signed(valid));
  expect(response.statusCode, response.body).toBe(201);
  await forwardSubmissions(zones.internet.context, zones.internet.gateway);
  return response.json();
}

const portal = (method: 'GET' | 'POST', url: string, payload?: object) =>
  asResident(zones, resident)(method, url, payload);

function office(
  method: 'GET' | 'POST',
  path: string,
  payload?: object,
  who: SignedInStaff = clerk,
  code = '131016',
) {
  return asStaff(zones.lgwan, who)(method, `/api/v1/municipalities/${code}/cases${path}`, payload);
}

/** The portal pulls what lgwan holds for it (in production every few seconds). */
async function portalHears() {
  await zones.internet.gateway.pull('lgwan', 100);
}

describe('a case from filing to signed notice', () => {
  it('is queued, corrected, approved, and its signed notice reaches the resident', async () => {
    const receipt = await fileOne();

    const queue = await office('GET', '?status=open');
    expect(queue.statusCode, queue.body).toBe(200);
    const entry = queue
      .json()
      .cases.find((c: { receiptNumber: string }) => c.receiptNumber === receipt.receiptNumber);
    expect(entry).toMatchObject({ status: 'received', version: 1, procedureId: PROCEDURE });
    expect(entry.daysLeft).toBe(procedure.definition.standardProcessingDays);

    const view = await office('GET', `/${receipt.receiptNumber}`);
    expect(view.statusCode, view.body).toBe(200);
    const version = view.json().versions[0];
    expect(version.signature).toMatchObject({ present: true, intact: true });
    expect(version.signature.signer.name).toBe('佐藤　花子');
    expect(version.attachments[0].received).toMatchObject({ intact: true });

    expect(
      (await office('POST', `/${receipt.receiptNumber}/assignment`, { staffId: clerk.staffId })).statusCode,
    ).toBe(200);
    expect((await office('POST', `/${receipt.receiptNumber}/review`, {})).statusCode).toBe(200);
    const field = Object.keys(valid)[0]!;
    const asked = await office('POST', `/${receipt.receiptNumber}/correction-request`, {
      message: '口座の名義を確認してください。',
      fields: [field],
    });
    expect(asked.statusCode, asked.body).toBe(200);

    await portalHears();
    const waiting = await portal('GET', `/api/v1/submissions/${receipt.submissionId}`);
    expect(waiting.json()).toMatchObject({
      status: 'correction-requested',
      message: '口座の名義を確認してください。',
      fields: [field],
    });

    // The resident answers with the whole filing signed again; a second click is one answer.
    const answer = await signed(valid);
    const corrected = await portal('POST', `/api/v1/submissions/${receipt.submissionId}/corrections`, answer);
    expect(corrected.statusCode, corrected.body).toBe(201);
    expect(corrected.json()).toEqual({ version: 2 });
    const twice = await portal('POST', `/api/v1/submissions/${receipt.submissionId}/corrections`, answer);
    expect(twice.statusCode).toBe(200);
    await forwardSubmissions(zones.internet.context, zones.internet.gateway);
    const second = (await office('GET', `/${receipt.receiptNumber}`)).json();
    expect(second).toMatchObject({ status: 'in-review', version: 2 });
    expect(second.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const decided = await office('POST', `/${receipt.receiptNumber}/decision`, {
      outcome: 'approved',
      reasons: '児童手当の受給資格を認定します。',
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const again = await office('POST', `/${receipt.receiptNumber}/decision`, {
      outcome: 'rejected',
      reasons: '重複',
    });
    expect(again.json()).toMatchObject({ type: '/problems/conflict', status: 409 });

    await portalHears();
    const inbox = (await portal('GET', '/api/v1/inbox')).json().entries as {
      status: string;
      notice: { noticeId: string; title: string } | null;
    }[];
    expect(inbox.map((e) => e.status)).toEqual([
      'approved',
      'in-review',
      'correction-requested',
      'in-review',
    ]);
    const notice = inbox[0]!.notice!;
    expect(notice.title).toContain('決定通知書');
    const pdf = await portal('GET', `/api/v1/notices/${notice.noticeId}`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const verified = await verifyNoticePdf(
      new Uint8Array(pdf.rawPayload),
      await loadNoticeTrust(zones.lgwan.context.config.lgpkiDir),
    );
    expect(verified.municipalityCode).toBe('131016');
    expect((await portal('GET', `/api/v1/submissions/${receipt.submissionId}`)).json().status).toBe(
      'approved',
    );
  });

  it('lets the resident withdraw before review, and refuses it after', async () => {
    const early = await fileOne();
    expect((await portal('POST', `/api/v1/submissions/${early.submissionId}/withdrawal`)).statusCode).toBe(
      202,
    );
    await forwardSubmissions(zones.internet.context, zones.internet.gateway);
    expect((await office('GET', `/${early.receiptNumber}`)).json().status).toBe('withdrawn');
    await portalHears();
    expect((await portal('GET', `/api/v1/submissions/${early.submissionId}`)).json().status).toBe(
      'withdrawn',
    );

    const late = await fileOne();
    await office('POST', `/${late.receiptNumber}/review`, {});
    await portalHears();
    const refused = await portal('POST', `/api/v1/submissions/${late.submissionId}/withdrawal`);
    expect(refused.json()).toMatchObject({ type: '/problems/conflict', status: 409 });
  });
});

describe('refusals', () => {
  it('keeps other municipalities, other roles and forged requests out', async () => {
    const receipt = await fileOne();
    const sapporo = await signedInStaff(zones.lgwan, { municipalityCode: '011002', roles: ['case-worker'] });
    expect((await office('GET', '', undefined, sapporo)).json().type).toBe('/problems/tenant-forbidden');
    expect((await office('GET', `/${receipt.receiptNumber}`, undefined, sapporo, '011002')).statusCode).toBe(
      404,
    );
    const registry = await signedInStaff(zones.lgwan, {
      municipalityCode: '131016',
      roles: ['registry-clerk'],
    });
    expect((await office('GET', '', undefined, registry)).statusCode).toBe(403);
    const forged = await zones.lgwan.app.inject({
      method: 'POST',
      url: `/api/v1/municipalities/131016/cases/${receipt.receiptNumber}/decision`,
      headers: { cookie: clerk.cookie },
      payload: { outcome: 'approved', reasons: 'ok' },
    });
    expect(forged.json().type).toBe('/problems/csrf-invalid');
    expect((await office('GET', `/${receipt.receiptNumber}`)).json().status).toBe('received');
  });

  it('refuses steps the status forbids, unknown items and bad bodies, changing nothing', async () => {
    const receipt = await fileOne();
    const unknown = await office('POST', `/${receipt.receiptNumber}/correction-request`, {
      message: 'x',
      fields: ['noSuchItem'],
    });
    expect(unknown.json()).toMatchObject({ type: '/problems/validation-failed', status: 400 });
    const noReasons = await office('POST', `/${receipt.receiptNumber}/decision`, {
      outcome: 'rejected',
      reasons: '',
    });
    expect(noReasons.statusCode).toBe(400);
    const notAsked = await portal(
      'POST',
      `/api/v1/submissions/${receipt.submissionId}/corrections`,
      await signed(valid),
    );
    expect(notAsked.json()).toMatchObject({ type: '/problems/conflict', status: 409 });
    const stranger = await office('POST', `/${receipt.receiptNumber}/assignment`, { staffId: randomUUID() });
    expect(stranger.statusCode).toBe(400);
    const after = (await office('GET', `/${receipt.receiptNumber}`)).json();
    expect(after).toMatchObject({ status: 'received', version: 1, assignedTo: null });
    expect(after.events.map((e: { kind: string }) => e.kind)).toEqual(['received']);
  });

  it('exports the queue as CSV that Excel opens (UTF-8 with BOM)', async () => {
    const csv = await office('GET', '.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('受付番号,手続,状態,版,申請日時,処理期限,残り日数,担当');
    expect(lines.length).toBeGreaterThan(1);
  });
});
