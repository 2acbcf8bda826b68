// 住基照会 of a filing's signer, across the three zones: the back office (lgwan) leaves the
// signing certificate's 基本4情報 in its outbox when a version arrives; mynumber pulls the
// question, reads its registry and pushes the answer; the case shows 一致 / 不一致 / 照合中….
// The gateway is driven by hand here (in production mynumber pulls every few seconds).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/modules/procedures/index.ts';
import { patternJpeg } from '../../src/modules/sanitize/image/test-corpus.ts';
import { basicFourCheckV1, basicFourResultV1, procedureSubmissionV1 } from '../../src/zones/gateway/index.ts';
import { forwardSubmissions } from '../../src/zones/internet/procedures.ts';
import { basicFourResultId } from '../../src/zones/mynumber/registry-check.ts';
import { auditActions, type ThreeZones } from '../gateway/support.ts';
import { openZonesWithPki, type SignedInResident, signedInResident, upload } from '../sanitize/support.ts';
import { type SignedInStaff, signedInStaff } from '../support/staff.ts';
import { asResident, asStaff, residentNamed, signedDocument, signedFiling } from './support.ts';

const CHIYODA = '131016';
const SAPPORO = '011002';
const PROCEDURE = 'child-allowance-certification';
const valid = loadCatalogue().get(PROCEDURE)!.definition.examples.valid;
let zones: ThreeZones & { remove(): void };
let clerk: SignedInStaff;
let registrar: SignedInStaff;

beforeAll(async () => {
  zones = await openZonesWithPki();
  clerk = await signedInStaff(zones.lgwan, { municipalityCode: CHIYODA, roles: ['case-worker'] });
  registrar = await signedInStaff(zones.mynumber, { municipalityCode: CHIYODA, roles: ['registry-clerk'] });
});
afterAll(async () => {
  await zones?.close();
  zones?.remove();
});

/** A filing's body as the portal takes it: signed by the resident's card, with the attachment the procedure needs. */
async function filingBody(resident: SignedInResident) {
  const uploaded = await upload(zones, resident, patternJpeg(64, 48));
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  const photo = { uploadId: uploaded.json().uploadId, sha256: uploaded.json().report.output.sha256 };
  return signedFiling(resident, {
    procedureId: PROCEDURE,
    data: valid,
    attachments: [{ id: 'bank-account-proof', ...photo }],
  });
}

/** Files on the portal and forwards the filing to lgwan. */
async function fileAs(resident: SignedInResident): Promise<{ submissionId: string; receiptNumber: string }> {
  const response = await asResident(zones, resident)(
    'POST',
    `/api/v1/procedures/${PROCEDURE}/submissions`,
    await filingBody(resident),
  );
  expect(response.statusCode, response.body).toBe(201);
  await forwardSubmissions(zones.internet.context, zones.internet.gateway);
  return response.json();
}

async function caseJson(receiptNumber: string, code = CHIYODA, who = clerk) {
  const response = await zones.lgwan.app.inject({
    method: 'GET',
    url: `/api/v1/municipalities/${code}/cases/${receiptNumber}`,
    headers: { cookie: who.cookie },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function casePage(receiptNumber: string): Promise<string> {
  const response = await zones.lgwan.app.inject({
    method: 'GET',
    url: `/cases/${receiptNumber}`,
    headers: { cookie: clerk.cookie },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.body;
}

/** mynumber pulls lgwan's outbox: each check there is answered and the answer pushed to lgwan. */
async function mynumberPulls() {
  return zones.mynumber.gateway.pull('lgwan', 100);
}

async function checkIdOf(submissionId: string, version: number): Promise<string> {
  const result = await sql<{ check_id: string }>`
    select check_id from procedure_registry_checks
    where submission_id = ${submissionId} and version = ${version}`.execute(zones.lgwan.context.database.db);
  return result.rows[0]!.check_id;
}

describe('the signer checked against the registry', () => {
  it('is pending until mynumber pulls, then matches, once', async () => {
    const resident = await signedInResident(zones, 811);
    const receipt = await fileAs(resident);

    const pending = (await caseJson(receipt.receiptNumber)).versions[0];
    expect(pending.signature.signer.name).toBe('佐藤　花子');
    expect(pending.registryCheck).toEqual({
      status: 'pending',
      outcome: null,
      fields: null,
      checkedAt: null,
    });
    expect(await casePage(receipt.receiptNumber)).toContain('照合中…');

    const pulled = await mynumberPulls();
    expect(pulled.processed).toBeGreaterThanOrEqual(1);
    const answered = (await caseJson(receipt.receiptNumber)).versions[0].registryCheck;
    expect(answered).toMatchObject({
      status: 'answered',
      outcome: 'match',
      fields: { name: true, dateOfBirth: true, sex: true, address: true },
    });
    expect(new Date(answered.checkedAt).getTime()).toBeLessThanOrEqual(Date.now());
    const page = await casePage(receipt.receiptNumber);
    expect(page).toContain('住民記録との照合');
    expect(page).toMatch(/<span class="badge badge--ok">OK<\/span> 一致/);

    // Nothing is asked twice: the outbox is empty, and an answer sent again is the same message.
    expect((await mynumberPulls()).processed).toBe(0);
    const checkId = await checkIdOf(receipt.submissionId, 1);
    const again = await zones.mynumber.gateway.send('lgwan', basicFourResultV1, {
      id: basicFourResultId(checkId),
      municipalityCode: CHIYODA as never,
      payload: {
        checkId,
        submissionId: receipt.submissionId,
        version: 1,
        outcome: 'not-found',
        fields: { name: false, dateOfBirth: false, sex: false, address: false },
        checkedAt: new Date().toISOString(),
        asOf: '2025-01-01',
        householdId: null,
      },
    });
    expect(again.duplicate).toBe(true);
    expect((await caseJson(receipt.receiptNumber)).versions[0].registryCheck.outcome).toBe('match');

    // mynumber's audit names the lookup by opaque ids and its outcome, never the person.
    const audited = await auditActions(zones.mynumber, 'registry.basic-four.check');
    const entry = audited.find((e) => e.checkId === checkId)!;
    expect(entry).toMatchObject({
      actor: 'gateway:lgwan',
      checkId,
      submissionId: receipt.submissionId,
      version: 1,
      outcome: 'match',
      candidates: 1,
    });
    expect(JSON.stringify(entry)).not.toMatch(/佐藤|花子|千代田|1950-03-03|19500303/);
  });

  it('checks a corrected version again', async () => {
    const { resident } = await residentNamed(zones, registrar, 812, '山本', '和子', '1975-11-11');
    const receipt = await fileAs(resident);
    await mynumberPulls();
    const office = (path: string, payload: object) =>
      asStaff(zones.lgwan, clerk)(
        'POST',
        `/api/v1/municipalities/${CHIYODA}/cases/${receipt.receiptNumber}/${path}`,
        payload,
      );
    expect((await office('review', {})).statusCode).toBe(200);
    const asked = await office('correction-request', { message: '確認してください。', fields: [] });
    expect(asked.statusCode, asked.body).toBe(200);
    await zones.internet.gateway.pull('lgwan', 100);
    const corrected = await asResident(zones, resident)(
      'POST',
      `/api/v1/submissions/${receipt.submissionId}/corrections`,
      await filingBody(resident),
    );
    expect(corrected.statusCode, corrected.body).toBe(201);
    await forwardSubmissions(zones.internet.context, zones.internet.gateway);

    const before = (await caseJson(receipt.receiptNumber)).versions;
    expect(
      before.map((v: { version: number; registryCheck: { status: string } }) => [
        v.version,
        v.registryCheck.status,
      ]),
    ).toEqual([
      [2, 'pending'],
      [1, 'answered'],
    ]);
    await mynumberPulls();
    const after = (await caseJson(receipt.receiptNumber)).versions;
    expect(after.map((v: { registryCheck: { outcome: string } }) => v.registryCheck.outcome)).toEqual([
      'match',
      'match',
    ]);
  });

  it('reports a mismatch of the address when the resident moved after the card was issued', async () => {
    const { residentCode, resident } = await residentNamed(
      zones,
      registrar,
      813,
      '鈴木',
      '一郎',
      '1960-06-06',
    );
    const moved = await asStaff(zones.mynumber, registrar)(
      'POST',
      `/api/v1/municipalities/${CHIYODA}/residents/events`,
      {
        kind: 'move-within',
        residentCode,
        effectiveOn: '2025-01-10',
        address: '富士見二丁目2番2号',
        household: { kind: 'keep' },
      },
    );
    expect(moved.statusCode, moved.body).toBe(201);
    const receipt = await fileAs(resident);
    expect((await caseJson(receipt.receiptNumber)).versions[0].signature.signer.address).toBe(
      '東京都千代田区千代田一丁目1番1号',
    );
    await mynumberPulls();
    const check = (await caseJson(receipt.receiptNumber)).versions[0].registryCheck;
    expect(check).toMatchObject({
      status: 'answered',
      outcome: 'mismatch',
      fields: { name: true, dateOfBirth: true, sex: true, address: false },
    });
    expect(await casePage(receipt.receiptNumber)).toContain('<strong>不一致（住所）</strong>');
  });

  it("finds no one when another municipality's back office asks about this resident", async () => {
    // A filing for 札幌市 signed with a 千代田区 resident's card (the portal files only with
    // one's own municipality; here it is sent to lgwan by hand): 札幌市's registry does not
    // know the signer, and 千代田区's is not consulted.
    const { resident } = await residentNamed(zones, registrar, 814, '中村', '三郎', '1945-08-15');
    const { document, signature } = await signedDocument(resident, {
      procedureId: PROCEDURE,
      data: valid,
      municipalityCode: SAPPORO,
    });
    const submissionId = randomUUID();
    const receiptNumber = `${SAPPORO}-20250601-ABCDEF`;
    await zones.internet.gateway.send('lgwan', procedureSubmissionV1, {
      municipalityCode: SAPPORO as never,
      payload: {
        submissionId,
        receiptNumber,
        procedureId: PROCEDURE,
        submittedBy: `resident:${randomUUID()}`,
        submittedAt: new Date().toISOString(),
        document: Buffer.from(document).toString('base64'),
        signature: Buffer.from(signature).toString('base64'),
      },
    });
    await mynumberPulls();
    const sapporoClerk = await signedInStaff(zones.lgwan, {
      municipalityCode: SAPPORO,
      roles: ['case-worker'],
    });
    const check = (await caseJson(receiptNumber, SAPPORO, sapporoClerk)).versions[0].registryCheck;
    expect(check).toMatchObject({
      status: 'answered',
      outcome: 'not-found',
      fields: { name: false, dateOfBirth: false, sex: false, address: false },
    });
    const audited = await auditActions(zones.mynumber, 'registry.basic-four.check');
    const entry = audited.find((e) => e.submissionId === submissionId);
    expect(entry).toMatchObject({ target: null, outcome: 'not-found', candidates: 0 });
  });

  it('refuses a question that is not closed and bounded', () => {
    const question = {
      checkId: randomUUID(),
      submissionId: randomUUID(),
      version: 1,
      name: '佐藤　花子',
      dateOfBirth: '1950-03-03',
      sex: '2',
      address: '東京都千代田区千代田一丁目1番1号',
    };
    expect(basicFourCheckV1.check(question)).toBe(true);
    expect(basicFourCheckV1.check({ ...question, myNumber: '123456789012' })).toBe(false);
    expect(basicFourCheckV1.check({ ...question, sex: '3' })).toBe(false);
    expect(basicFourCheckV1.check({ ...question, address: 'あ'.repeat(301) })).toBe(false);
    expect(basicFourCheckV1.check({ ...question, name: '' })).toBe(false);
  });
});
