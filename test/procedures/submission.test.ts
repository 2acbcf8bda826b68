// Filing online (電子申請) end to end on the three zones: a resident signed in with the card
// attaches a sanitized photo, signs the filing with the card's signing key and gets a receipt;
// the filing crosses to lgwan once and opens a case. Then the bad paths, each a clear error
// that leaves nothing behind.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MachiError } from '../../src/core/index.ts';
import { signDetached } from '../../src/modules/jpki/index.ts';
import { loadCatalogue } from '../../src/modules/procedures/index.ts';
import { patternJpeg } from '../../src/modules/sanitize/image/test-corpus.ts';
import { procedureSubmissionV1 } from '../../src/zones/gateway/index.ts';
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

describe('forwarding inward in batches', () => {
  it('sends waiting filings in one call; a filing lgwan refuses goes alone and is marked, the others open cases', async () => {
    const gateway = zones.internet.gateway;
    const db = zones.internet.context.database.db;
    // Filing wakes forwarding in the background. Those rounds find the door shut (as with lgwan
    // out of reach), and only the rounds this test runs itself (`doorOpen`) get through: a
    // background round that read its filings before a change below, and sent them after, would
    // otherwise send what the test did not mean to (seen under CI's load).
    const door = new AsyncLocalStorage<true>();
    const doorOpen = <T>(round: () => Promise<T>) => door.run(true, round);
    const shut = () => door.getStore() !== true;
    const calls: { size: number; ok: boolean }[] = [];
    const { send, sendAll } = gateway;
    Object.assign(gateway, {
      send: ((to, type, message) => {
        if (shut() && type.type === procedureSubmissionV1.type) throw new MachiError('gateway-unreachable');
        return send.call(gateway, to, type, message);
      }) satisfies typeof send,
      sendAll: (async (to, type, messages) => {
        if (shut()) throw new MachiError('gateway-unreachable');
        try {
          const receipts = await sendAll.call(gateway, to, type, messages);
          calls.push({ size: messages.length, ok: true });
          return receipts;
        } catch (error) {
          calls.push({ size: messages.length, ok: false });
          throw error;
        }
      }) satisfies typeof sendAll,
    });
    const fileOne = async (at: number) => {
      const document = documentOf({ filedAt: new Date(Date.now() + at).toISOString() });
      const filed = await file(resident, { document, signature: await sign(resident, document) });
      expect(filed.statusCode, filed.body).toBe(201);
      return filed.json() as { submissionId: string; receiptNumber: string };
    };
    const stateOf = async (submissionId: string) =>
      (
        await sql<{ unsent: boolean; forward_error: string | null }>`
          select forward_error, exists (select from procedure_submissions_unsent u
            where u.submission_id = s.submission_id) as unsent
          from procedure_submissions s where submission_id = ${submissionId}`.execute(db)
      ).rows[0]!;
    const caseNumbers = async () =>
      new Set(
        (
          (await zones.lgwan.context.database.db
            .selectFrom('procedure_cases' as never)
            .select('receipt_number' as never)
            .execute()) as { receipt_number: string }[]
        ).map((row) => row.receipt_number),
      );
    try {
      const together = [await fileOne(0), await fileOne(1), await fileOne(2)];
      for (const filing of together) expect((await stateOf(filing.submissionId)).unsent).toBe(true);
      await doorOpen(() => forwardSubmissions(zones.internet.context, gateway));
      // One call carried the three, and lgwan opened a case for each.
      expect(calls).toContainEqual({ size: 3, ok: true });
      const opened = await caseNumbers();
      for (const filing of together) {
        expect(opened.has(filing.receiptNumber)).toBe(true);
        expect((await stateOf(filing.submissionId)).unsent).toBe(false);
      }

      const good = await fileOne(3);
      const bad = await fileOne(4);
      // Its bytes no longer a filing (as if changed on the way): lgwan refuses it, so the
      // batch of the two fails whole, then each goes alone.
      await db
        .updateTable('procedure_submissions' as never)
        .set({ document: Buffer.from('not a filing') } as never)
        .where('submission_id' as never, '=', bad.submissionId as never)
        .execute();
      calls.length = 0;
      await doorOpen(() => forwardSubmissions(zones.internet.context, gateway));
      expect(calls).toContainEqual({ size: 2, ok: false });
      expect((await stateOf(good.submissionId)).unsent).toBe(false);
      const refused = await stateOf(bad.submissionId);
      expect(refused.unsent).toBe(false);
      expect(refused.forward_error).toMatch(/not a filing/);
      const now = await caseNumbers();
      expect(now.has(good.receiptNumber)).toBe(true);
      expect(now.has(bad.receiptNumber)).toBe(false);
      // The refused one is not tried again.
      calls.length = 0;
      expect(await doorOpen(() => forwardSubmissions(zones.internet.context, gateway))).toBe(0);
      expect(calls).toEqual([]);
    } finally {
      Object.assign(gateway, { send, sendAll });
    }
  });
});
