import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internetZone, lgwanZone, mynumberZone, type RunningZone } from '../src/zones/index.ts';
import { openTestZone } from './support/zone.ts';

describe.each([internetZone, lgwanZone, mynumberZone])('$name zone', (definition) => {
  let zone: RunningZone;
  beforeAll(async () => {
    zone = await openTestZone(definition);
  });
  afterAll(async () => {
    await zone.close();
  });

  it('answers /healthz', async () => {
    const response = await zone.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', zone: definition.name });
  });

  it('answers an unknown path with problem+json, not HTML', async () => {
    const response = await zone.app.inject({ method: 'GET', url: '/no/such/page' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ type: '/problems/not-found', status: 404 });
  });
});
