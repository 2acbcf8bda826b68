// Each municipality chooses which procedures it accepts online and adds its own notes: set by
// an administrator in lgwan, copied to the portal through the gateway, honoured at filing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScope } from '../../src/core/index.ts';
import { loadCatalogue, storeProcedureSetting } from '../../src/modules/procedures/index.ts';
import type { ThreeZones } from '../gateway/support.ts';
import { openZonesWithPki, type SignedInResident, signedInResident } from '../sanitize/support.ts';
import { type SignedInStaff, signedInStaff } from '../support/staff.ts';
import { asResident, asStaff } from './support.ts';

const PROCEDURE = 'disaster-damage-certificate';
let zones: ThreeZones & { remove(): void };
let admin: SignedInStaff;
let resident: SignedInResident;

beforeAll(async () => {
  zones = await openZonesWithPki();
  admin = await signedInStaff(zones.lgwan, { municipalityCode: '131016', roles: ['admin'] });
  resident = await signedInResident(zones, 821);
});
afterAll(async () => {
  await zones?.close();
  zones?.remove();
});

function put(who: SignedInStaff, procedureId: string, payload: object) {
  return asStaff(zones.lgwan, who)(
    'PUT',
    `/api/v1/municipalities/131016/procedure-settings/${procedureId}`,
    payload,
  );
}

async function offered(code = '131016') {
  const response = await zones.internet.app.inject({
    method: 'GET',
    url: `/api/v1/procedures?municipality=${code}`,
  });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { id: string; offered: boolean; municipalityNote: unknown }[]).find(
    (p) => p.id === PROCEDURE,
  )!;
}

describe('procedure settings per municipality', () => {
  it('turns a procedure off with a note, on the portal too, and refuses filings of it', async () => {
    expect(await offered()).toMatchObject({ offered: true, municipalityNote: null });
    const note = { ja: '当面は窓口で受け付けます。', en: 'For now, at the counter only.' };
    const off = await put(admin, PROCEDURE, { enabled: false, note });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ enabled: false, version: 1 });
    await zones.internet.gateway.pull('lgwan', 100);
    expect(await offered()).toMatchObject({ offered: false, municipalityNote: note });
    // Another municipality is untouched.
    expect(await offered('011002')).toMatchObject({ offered: true });

    const filing = await asResident(zones, resident)('POST', `/api/v1/procedures/${PROCEDURE}/submissions`, {
      idempotencyKey: randomUUID(),
      document: Buffer.from('{}').toString('base64'),
    });
    expect(filing.json()).toMatchObject({ type: '/problems/not-found', status: 404 });
    expect(filing.json().detail).toContain('does not accept this procedure online');

    const on = await put(admin, PROCEDURE, { enabled: true, note: null });
    expect(on.json()).toMatchObject({ enabled: true, version: 2 });
    await zones.internet.gateway.pull('lgwan', 100);
    expect(await offered()).toMatchObject({ offered: true, municipalityNote: null });
  });

  it('keeps the newest copy when copies arrive out of order', async () => {
    const scope = tenantScope('011002' as never);
    const db = zones.internet.context.database.db;
    await storeProcedureSetting(
      db,
      scope,
      { procedureId: PROCEDURE, enabled: false, note: null, version: 5 },
      new Date(),
    );
    await storeProcedureSetting(
      db,
      scope,
      { procedureId: PROCEDURE, enabled: true, note: null, version: 4 },
      new Date(),
    );
    expect(await offered('011002')).toMatchObject({ offered: false });
  });

  it('lets only administrators change settings, and refuses bad input', async () => {
    const clerk = await signedInStaff(zones.lgwan, { municipalityCode: '131016', roles: ['case-worker'] });
    expect((await put(clerk, PROCEDURE, { enabled: false, note: null })).statusCode).toBe(403);
    const list = await zones.lgwan.app.inject({
      method: 'GET',
      url: '/api/v1/municipalities/131016/procedure-settings',
      headers: { cookie: clerk.cookie },
    });
    expect(list.json().settings).toHaveLength(loadCatalogue().size);
    expect((await put(admin, 'no-such-procedure', { enabled: false, note: null })).statusCode).toBe(404);
    for (const bad of [
      { enabled: 'no', note: null },
      { enabled: true },
      { enabled: true, note: { ja: '', en: 'x' } },
    ]) {
      const response = await put(admin, PROCEDURE, bad);
      expect(response.statusCode, JSON.stringify(bad)).toBe(400);
    }
    const unknownTown = await zones.internet.app.inject({
      method: 'GET',
      url: '/api/v1/procedures?municipality=999999',
    });
    expect(unknownTown.statusCode).toBe(400);
  });
});
