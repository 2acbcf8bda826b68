// オンライン利用率: online filings counted from lgwan's cases by fiscal year (Japan time, April
// to March), paper ones entered by staff; JSON, a CSV for Excel and a page with a chart.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, type LgCode } from '../../src/core/index.ts';
import { loadCatalogue, receiveSubmission } from '../../src/modules/procedures/index.ts';
import { lgwanZone, type RunningZone } from '../../src/zones/index.ts';
import { type SignedInStaff, signedInStaff } from '../support/staff.ts';
import { openTestZone } from '../support/zone.ts';

const PROCEDURE = 'child-allowance-certification';
const catalogue = loadCatalogue();
const clock = fixedClock(new Date('2026-05-01T10:00:00+09:00'));
let zone: RunningZone;
let clerk: SignedInStaff;

async function fileAt(at: string, municipalityCode: LgCode = '131016' as LgCode) {
  const submissionId = randomUUID();
  const document = new TextEncoder().encode(
    JSON.stringify({
      procedureId: PROCEDURE,
      municipalityCode,
      data: catalogue.get(PROCEDURE)!.definition.examples.valid,
      attachments: [],
      filedAt: at,
    }),
  );
  await zone.context.database.db.transaction().execute((trx) =>
    receiveSubmission(
      trx,
      municipalityCode,
      catalogue,
      {
        submissionId,
        receiptNumber: `${municipalityCode}-20260401-${submissionId
          .replace(/[^A-HJ-NP-Z2-9]/gi, '')
          .toUpperCase()
          .slice(0, 6)
          .padEnd(6, 'A')}`,
        procedureId: PROCEDURE,
        submittedBy: `resident:${randomUUID()}`,
        submittedAt: new Date(at).toISOString(),
        document,
        signature: new Uint8Array([1]),
      },
      clock.now(),
    ),
  );
}

beforeAll(async () => {
  zone = await openTestZone(lgwanZone, { clock });
  clerk = await signedInStaff(zone, { municipalityCode: '131016', roles: ['case-worker'] });
  await fileAt('2026-03-31T23:30:00+09:00'); // 令和7年度 (FY2025): its last half hour, Japan time
  await fileAt('2026-04-01T00:10:00+09:00'); // 令和8年度 (FY2026), though still 31 March in UTC
  await fileAt('2026-04-20T09:00:00+09:00');
  await fileAt('2026-04-20T09:00:00+09:00', '011002' as LgCode); // another municipality
});
afterAll(async () => {
  await zone?.close();
});

function call(method: 'GET' | 'PUT' | 'POST', url: string, who: SignedInStaff = clerk, payload?: object) {
  return zone.app.inject({
    method,
    url,
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrfToken },
    ...(payload ? { payload } : {}),
  });
}

const api = '/api/v1/municipalities/131016/statistics/procedures';

describe('online usage rate', () => {
  it('counts online filings by Japanese fiscal year and takes paper counts from staff', async () => {
    const row = async (fiscalYear: number) =>
      (await call('GET', `${api}?fiscalYear=${fiscalYear}`))
        .json()
        .procedures.find((p: { procedureId: string }) => p.procedureId === PROCEDURE);
    expect(await row(2025)).toMatchObject({ online: 1, paper: 0, rate: 1 });
    expect(await row(2026)).toMatchObject({ online: 2, paper: 0, rate: 1 });
    const put = await call('PUT', `${api}/${PROCEDURE}/paper`, clerk, { fiscalYear: 2026, filings: 6 });
    expect(put.statusCode, put.body).toBe(200);
    expect(await row(2026)).toMatchObject({ online: 2, paper: 6, rate: 0.25 });
    // The current fiscal year by default (the clock says May 2026).
    expect((await call('GET', api)).json().fiscalYear).toBe(2026);
  });

  it('exports CSV with a BOM and shows a page with a chart and the table', async () => {
    const csv = await call('GET', `${api}.csv?fiscalYear=2026`);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.body).toContain(`2026,${PROCEDURE},`);
    const page = await call('GET', '/statistics/procedures?fiscalYear=2026');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('令和8年度');
    expect(page.body).toContain('<svg role="img"');
    expect(page.body).toContain('25.0%');
    const form = await zone.app.inject({
      method: 'POST',
      url: '/statistics/procedures/paper',
      headers: { cookie: clerk.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(clerk.csrfToken)}&procedureId=${PROCEDURE}&fiscalYear=2026&filings=2`,
    });
    expect(form.statusCode, form.body).toBe(200);
    expect(form.body).toContain('50.0%');
  });

  it('refuses other municipalities, roles that may not enter counts, and bad counts', async () => {
    expect((await call('GET', '/api/v1/municipalities/011002/statistics/procedures')).json().type).toBe(
      '/problems/tenant-forbidden',
    );
    const auditor = await signedInStaff(zone, { municipalityCode: '131016', roles: ['auditor'] });
    expect((await call('GET', api, auditor)).statusCode).toBe(200);
    expect(
      (await call('PUT', `${api}/${PROCEDURE}/paper`, auditor, { fiscalYear: 2026, filings: 1 })).statusCode,
    ).toBe(403);
    for (const bad of [
      { fiscalYear: 2026, filings: -1 },
      { fiscalYear: 1999, filings: 1 },
      { fiscalYear: 2026, filings: 1.5 },
    ]) {
      expect(
        (await call('PUT', `${api}/${PROCEDURE}/paper`, clerk, bad)).statusCode,
        JSON.stringify(bad),
      ).toBe(400);
    }
    expect(
      (await call('PUT', `${api}/no-such/paper`, clerk, { fiscalYear: 2026, filings: 1 })).statusCode,
    ).toBe(404);
  });
});
