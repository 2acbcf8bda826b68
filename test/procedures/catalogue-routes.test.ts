// The public catalogue on the internet zone: the list, one procedure's form, and a clear 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internetZone, type RunningZone } from '../../src/zones/index.ts';
import { openTestZone } from '../support/zone.ts';

let zone: RunningZone;
beforeAll(async () => {
  zone = await openTestZone(internetZone);
});
afterAll(() => zone?.close());

describe('GET /api/v1/procedures', () => {
  it('lists the procedures that can be filed online, with fee and processing period', async () => {
    const response = await zone.app.inject({ method: 'GET', url: '/api/v1/procedures' });
    expect(response.statusCode).toBe(200);
    const list = response.json() as {
      id: string;
      name: { ja: string };
      standardProcessingDays: number | null;
    }[];
    expect(list).toContainEqual(
      expect.objectContaining({
        id: 'child-allowance-certification',
        name: expect.objectContaining({ ja: '児童手当等の受給資格及び児童手当の額についての認定請求' }),
        standardProcessingDays: 30,
      }),
    );
    // The examples are the catalogue's own test data, not part of the public answer.
    expect(JSON.stringify(list)).not.toContain('examples');
  });

  it('gives one procedure with its form and pages; an unknown one is a 404 problem', async () => {
    const response = await zone.app.inject({
      method: 'GET',
      url: '/api/v1/procedures/child-allowance-certification',
    });
    const procedure = response.json();
    expect(procedure.schema.properties.claimant.title).toBe('請求者');
    expect(procedure.layout.steps.length).toBeGreaterThan(1);
    expect(procedure.prefill['/claimant/name']).toBe('name');
    expect(procedure.examples).toBeUndefined();
    const unknown = await zone.app.inject({ method: 'GET', url: '/api/v1/procedures/no-such-thing' });
    expect(unknown.json()).toMatchObject({ type: '/problems/not-found', status: 404 });
    const malformed = await zone.app.inject({ method: 'GET', url: '/api/v1/procedures/Bad_Id' });
    expect(malformed.json()).toMatchObject({ type: '/problems/validation-failed', status: 400 });
  });
});
