// Filing online (電子申請) end to end on the three zones: a resident signed in with the card
// attaches a sanitized photo, signs the filing with the card's signing key and gets a receipt;
// the filing crosses to lgwan once and opens a case. Then the bad paths, each a clear error
// that leaves nothing behind.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDetached } from '../../src/modules/jpki/index.ts';
import { loadCatalogue } from '../../src/modules/procedures/index.ts';
import { patternJpeg } from '../../src/modules/sanitize/image/test-corpus.ts';
import { forwardSubmissions } from '../../src/zones/internet/procedures.ts';
import type { ThreeZones } from '../gateway/support.ts';
import { PASSWORD } from '../jpki/support.ts';
import { openZonesWithPki, type SignedInResident, signedInResident, upload } from '../sanitize/support.ts';

const PROCEDURE = 'child-allowance-certification';
const valid = loadCatalogue().get(PROCEDURE)!.definition.examples.valid;
let zones: ThreeZones & { remove(): void };
let resident: SignedInResident;
let other: SignedInResident;
let photo: { uploadId: string; sha256: string };

beforeAll(async () => {
  zones = await openZonesWithPki();
  resident = await signedInResident(zones, 701);
  other = await signedInResident(zones, 702);
  const uploaded = await upload(zones, resident, patternJpeg(400, 300));
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  photo = { uploadId: uploaded.json().uploadId, sha256: uploaded.json().report.output.sha256 };
});
afterAll(async () => {
  await zones?.close();
  zones?.remove();
});

function documentOf(overrides: Record<string, unknown> = {}) {
  const document = {
    procedureId: PROCEDURE,
    municipalityCode: '131016',
    data: valid,
    attachments: [{ id: 'bank-account-proof', ...photo }],
    filedAt: new Date().toISOString(),
    ...overrides,
  };
  return new TextEncoder().encode(JSON.stringify(document));
}

async function sign(who: SignedInResident, document: Uint8Array, password = PASSWORD) {
  const certificate = await who.card.certificate('signing');
  return signDetached(
    document,
    { certificate, sign: (data) => who.card.sign('signing', password, data) },
    { signingTime: new Date() },
  );
}

function file(
  who: SignedInResident,
  body: { idempotencyKey?: string; document: Uint8Array; signature?: Uint8Array },
  procedure = PROCEDURE,
) {
  return zones.internet.app.inject({
    method: 'POST',
    url: `/api/v1/procedures/${procedure}/submissions`,
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf },
    payload: {
      idempotencyKey: body.idempotencyKey ?? randomUUID(),
      document: Buffer.from(body.document).toString('base64'),
      ...(body.signature ? { signature: Buffer.from(body.signature).toString('base64') } : {}),
    },
  });
}

async function submissionCount(): Promise<number> {
  const rows = await zones.internet.context.database.db
    .selectFrom('procedure_submissions' as never)
    .selectAll()
    .execute();
  return rows.length;
}

describe('filing 児童手当 online', () => {
  it('gives a receipt; the same filing sent again gets the same one; it opens one case in lgwan', async () => {
    const document = documentOf();
    const signature = await sign(resident, document);
    const idempotencyKey = randomUUID();
    const first = await file(resident, { idempotencyKey, document, signature });
    expect(first.statusCode, first.body).toBe(201);
    const receipt = first.json() as { submissionId: string; receiptNumber: string };
    expect(receipt.receiptNumber).toMatch(/^131016-\d{8}-[A-HJ-NP-Z2-9]{6}$/);

    // A double click: the same key and bytes, the same receipt, nothing new.
    const again = await file(resident, { idempotencyKey, document, signature });
    expect(again.statusCode).toBe(200);
    expect(again.json().receiptNumber).toBe(receipt.receiptNumber);
    // A replay of the signed filing under another key is refused.
    const replay = await file(resident, { document, signature });
    expect(replay.json()).toMatchObject({ type: '/problems/conflict', status: 409 });

    await forwardSubmissions(zones.internet.context, zones.internet.gateway);
    await forwardSubmissions(zones.internet.context, zones.internet.gateway);
    const cases = (await zones.lgwan.context.database.db
      .selectFrom('procedure_cases' as never)
      .selectAll()
      .execute()) as { receipt_number: string; status: string; due_on: unknown; attachments: unknown }[];
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ receipt_number: receipt.receiptNumber, status: 'received' });
    expect(cases[0]!.due_on).toBeTruthy();

    const state = await zones.internet.app.inject({
      method: 'GET',
      url: `/api/v1/submissions/${receipt.submissionId}`,
      headers: { cookie: resident.cookie },
    });
    expect(state.json()).toMatchObject({ receiptNumber: receipt.receiptNumber, status: 'received' });
    const notTheirs = await zones.internet.app.inject({
      method: 'GET',
      url: `/api/v1/submissions/${receipt.submissionId}`,
      headers: { cookie: other.cookie },
    });
    expect(notTheirs.statusCode).toBe(404);
  });
});

describe('bad filings: a clear error, and nothing kept', () => {
  it('names every item at fault in Japanese', async () => {
    const before = await submissionCount();
    const document = documentOf({
      data: { ...valid, claimant: { ...(valid.claimant as object), nameKana: 'やまだ' } },
    });
    const response = await file(resident, { document, signature: await sign(resident, document) });
    expect(response.statusCode).toBe(400);
    const problem = response.json() as {
      type: string;
      errors: { path: string; field: string; problem: string }[];
    };
    expect(problem.type).toBe('/problems/validation-failed');
    expect(problem.errors).toContainEqual(
      expect.objectContaining({ path: '/data/claimant/nameKana', field: '氏名（フリガナ）' }),
    );
    expect(problem.errors[0]!.problem).toMatch(/全角カタカナ/);
    expect(await submissionCount()).toBe(before);
  });

  it('refuses a filing without a signature, with a signature over other bytes, or a wrong card password', async () => {
    const before = await submissionCount();
    const document = documentOf();
    const unsigned = await file(resident, { document });
    expect(unsigned.json()).toMatchObject({ type: '/problems/validation-failed' });
    const signedOther = await sign(resident, documentOf({ filedAt: '2020-01-01T00:00:00.000Z' }));
    const mismatch = await file(resident, { document, signature: signedOther });
    expect(mismatch.json()).toMatchObject({ type: '/problems/signature-invalid' });
    await expect(sign(resident, document, 'WRONG123')).rejects.toMatchObject({ code: 'pin-incorrect' });
    expect(await submissionCount()).toBe(before);
  });

  it("refuses another resident's upload, another municipality, an unknown procedure and a broken document", async () => {
    const before = await submissionCount();
    const theirs = documentOf();
    const stolen = await file(other, { document: theirs, signature: await sign(other, theirs) });
    expect(stolen.json()).toMatchObject({ type: '/problems/validation-failed' });
    const elsewhere = documentOf({ municipalityCode: '011002' });
    const wrongTown = await file(resident, {
      document: elsewhere,
      signature: await sign(resident, elsewhere),
    });
    expect(wrongTown.json()).toMatchObject({ type: '/problems/tenant-forbidden', status: 403 });
    const unknown = await file(resident, { document: documentOf() }, 'no-such-procedure');
    expect(unknown.json()).toMatchObject({ type: '/problems/not-found' });
    const broken = await file(resident, { document: new TextEncoder().encode('{"procedureId": 1') });
    expect(broken.json()).toMatchObject({ type: '/problems/validation-failed' });
    const anonymous = await zones.internet.app.inject({
      method: 'POST',
      url: `/api/v1/procedures/${PROCEDURE}/submissions`,
      payload: { idempotencyKey: randomUUID(), document: 'e30=' },
    });
    expect(anonymous.json()).toMatchObject({ type: '/problems/authentication-required' });
    expect(await submissionCount()).toBe(before);
  });
});
