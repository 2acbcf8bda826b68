import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('gives each zone its own port, database and pool size, with defaults', () => {
    const config = loadConfig({
      MACHI_MYNUMBER_DATABASE_URL: 'postgres://machi@db/machi_mynumber',
      MACHI_MYNUMBER_DATABASE_POOL: '4',
      MACHI_LGWAN_PORT: '4001',
    });
    expect(config.zones.mynumber).toMatchObject({
      port: 3002,
      databaseUrl: 'postgres://machi@db/machi_mynumber',
      databasePool: 4,
    });
    expect(config.zones.lgwan).toMatchObject({ port: 4001, databaseUrl: undefined, databasePool: 10 });
  });

  it.each(['0', '201', '2.5', 'many'])('refuses a pool size of "%s", naming the variable', (raw) => {
    expect(() => loadConfig({ MACHI_LGWAN_DATABASE_POOL: raw })).toThrow(
      `MACHI_LGWAN_DATABASE_POOL must be a whole number from 1 to 200, not "${raw}".`,
    );
  });

  it("defers the points batches' flush only when asked, and refuses what is not true or false", () => {
    expect(loadConfig({}).pointsDeferredFlush).toBe(false);
    expect(loadConfig({ MACHI_POINTS_DEFERRED_FLUSH: 'true' }).pointsDeferredFlush).toBe(true);
    expect(() => loadConfig({ MACHI_POINTS_DEFERRED_FLUSH: 'yes' })).toThrow(
      'MACHI_POINTS_DEFERRED_FLUSH must be true or false, not "yes".',
    );
  });

  it('keeps cookies secure unless told false, and refuses a word that means neither', () => {
    expect(loadConfig({}).secureCookies).toBe(true);
    expect(loadConfig({ MACHI_SECURE_COOKIES: 'false' }).secureCookies).toBe(false);
    // "0" or "off", meant as off, would otherwise leave them on without a word.
    for (const raw of ['0', 'off', 'FALSE'])
      expect(() => loadConfig({ MACHI_SECURE_COOKIES: raw })).toThrow(
        `MACHI_SECURE_COOKIES must be true or false, not "${raw}".`,
      );
  });

  it('refuses a port that is not one', () => {
    expect(() => loadConfig({ MACHI_INTERNET_PORT: '70000' })).toThrow(/MACHI_INTERNET_PORT/);
  });
});
