import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, isMachiError, type LgCode, tenantScope, type ZoneName } from '../../src/core/index.ts';
import { receivedFileContent } from '../../src/modules/sanitize/index.ts';
import { latestPopulationSnapshot } from '../../src/modules/statistics/index.ts';
import {
  createHttpNetwork,
  gatewayPaths,
  pendingInOutbox,
  populationStatisticsRequestV1,
  populationStatisticsV1,
  sanitizedFileV2,
} from '../../src/zones/gateway/index.ts';
import { signRequest } from '../../src/zones/gateway/signature.ts';
import { testConfig } from '../support/zone.ts';
import { addResidents, openThreeZones, statisticsPayload, type ThreeZones } from './support.ts';

const CHIYODA = '131016' as LgCode;
// One clock for the three zones (as NTP gives real ones), so the replay window is tested, not the machine load.
const clock = fixedClock(new Date());
const env = {
  MACHI_GATEWAY_KEY_INTERNET_LGWAN: randomBytes(32).toString('base64'),
  MACHI_GATEWAY_KEY_LGWAN_MYNUMBER: randomBytes(32).toString('base64'),
};
// Filled in once the zones listen on ephemeral ports; the transport reads it at each call.
const urls: Record<ZoneName, string> = { internet: '', lgwan: '', mynumber: '' };
const network = createHttpNetwork(testConfig(), { env, urls });
let zones: ThreeZones;

beforeAll(async () => {
  zones = await openThreeZones(network, clock);
  for (const name of ['internet', 'lgwan', 'mynumber'] as const) {
    urls[name] = await zones[name].app.listen({ host: '127.0.0.1', port: 0 });
  }
  await addResidents(zones.mynumber, CHIYODA, [
    { sex: 1, birthDate: '1970-06-01' },
    { sex: 2, birthDate: '2001-02-03' },
  ]);
});
afterAll(async () => {
  await zones?.close();
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (isMachiError(error)) return error.code;
    throw error;
  }
  return undefined;
}

async function post(base: string, path: string, headers: Record<string, string>, body: string) {
  const response = await fetch(new URL(path, base), {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body,
  });
  return { status: response.status, body: await response.text() };
}

describe('gateway over HTTP between three processes-worth of zones', () => {
  it('lgwan leaves a request in its outbox; mynumber pulls it over HTTP and pushes the answer back', async () => {
    await zones.lgwan.context.database.db.transaction().execute((trx) =>
      zones.lgwan.gateway.enqueue(trx, 'mynumber', populationStatisticsRequestV1, {
        municipalityCode: CHIYODA,
        payload: {},
      }),
    );
    expect(await zones.mynumber.gateway.pull('lgwan')).toEqual({ processed: 1, duplicates: 0, rejected: 0 });
    expect(await pendingInOutbox(zones.lgwan.context.database, 'mynumber')).toBe(0);
    const snapshot = await latestPopulationSnapshot(zones.lgwan.context.database.db, tenantScope(CHIYODA));
    expect(snapshot).toMatchObject({ total: 2, bySex: { male: 1, female: 1, notApplicable: 0 } });
  });

  it('mynumber pushes a batch over HTTP: one signed call, a receipt for each, an unsigned batch refused', async () => {
    const payload = statisticsPayload(clock.now().toISOString());
    const batch = [randomUUID(), randomUUID()].map((id) => ({ id, municipalityCode: CHIYODA, payload }));
    const receipts = await zones.mynumber.gateway.sendAll('lgwan', populationStatisticsV1, batch);
    expect(receipts.map((receipt) => [receipt.id, receipt.duplicate])).toEqual([
      [batch[0]!.id, false],
      [batch[1]!.id, false],
    ]);
    const unsigned = await post(urls.lgwan, gatewayPaths.batch, {}, JSON.stringify({ messages: [] }));
    expect(unsigned.status).toBe(401);
  });

  it('the internet process holds no mynumber key and cannot address mynumber', async () => {
    expect(network.keysFor('internet').get('lgwan-mynumber')).toBeUndefined();
    expect(
      await codeOf(
        zones.internet.gateway.send('mynumber', populationStatisticsV1, {
          municipalityCode: CHIYODA,
          payload: {} as never,
        }),
      ),
    ).toBe('gateway-route-forbidden');
  });

  it('mynumber listens for no gateway path: every request to it is refused with 404', async () => {
    const keys = network.keysFor('internet');
    for (const path of [...Object.values(gatewayPaths), '/gateway/v1/inbox', '/gateway']) {
      const body = JSON.stringify({ limit: 1 });
      // The best the internet side can do: sign with the only key it has.
      const headers = signRequest(keys, clock, { method: 'POST', path, from: 'internet', to: 'lgwan', body });
      const response = await post(
        urls.mynumber,
        path,
        { ...headers, 'x-machi-gateway-to': 'mynumber' },
        body,
      );
      expect(response.status).toBe(404);
    }
  });

  it('lgwan refuses a message signed with the internet–lgwan key that claims to be from mynumber', async () => {
    const keys = network.keysFor('internet');
    const body = JSON.stringify({
      id: randomUUID(),
      type: populationStatisticsV1.type,
      version: 1,
      from: 'mynumber',
      to: 'lgwan',
      sentAt: new Date().toISOString(),
      municipalityCode: CHIYODA,
      payload: {},
    });
    const path = gatewayPaths.messages;
    const headers = signRequest(keys, clock, { method: 'POST', path, from: 'internet', to: 'lgwan', body });
    const forged = await post(urls.lgwan, path, { ...headers, 'x-machi-gateway-from': 'mynumber' }, body);
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body)).toMatchObject({ type: '/problems/gateway-unauthenticated' });
    const honest = await post(urls.lgwan, path, headers, body);
    expect(honest.status).toBe(401);
    // The internet key pulls only what lgwan holds for the internet zone, never mynumber's.
    await zones.lgwan.context.database.db.transaction().execute((trx) =>
      zones.lgwan.gateway.enqueue(trx, 'mynumber', populationStatisticsRequestV1, {
        municipalityCode: CHIYODA,
        payload: {},
      }),
    );
    const pullBody = JSON.stringify({ limit: 10 });
    const pull = gatewayPaths.pull;
    const pullHeaders = signRequest(keys, clock, {
      method: 'POST',
      path: pull,
      from: 'internet',
      to: 'lgwan',
      body: pullBody,
    });
    const pulled = await post(urls.lgwan, pull, pullHeaders, pullBody);
    expect(pulled.status).toBe(200);
    const { messages } = JSON.parse(pulled.body) as { messages: { to: string }[] };
    expect(messages.every((message) => message.to === 'internet')).toBe(true);
    expect(await pendingInOutbox(zones.lgwan.context.database, 'mynumber')).toBeGreaterThan(0);
  });

  it('lgwan refuses unsigned, tampered and replayed requests', async () => {
    const keys = network.keysFor('mynumber');
    const body = JSON.stringify({ limit: 5 });
    const path = gatewayPaths.pull;
    expect((await post(urls.lgwan, path, {}, body)).status).toBe(401);
    const headers = signRequest(keys, clock, { method: 'POST', path, from: 'mynumber', to: 'lgwan', body });
    expect((await post(urls.lgwan, path, headers, JSON.stringify({ limit: 6 }))).status).toBe(401);
    const stale = fixedClock(new Date(clock.now().getTime() - 6 * 60_000));
    const old = signRequest(keys, stale, { method: 'POST', path, from: 'mynumber', to: 'lgwan', body });
    expect((await post(urls.lgwan, path, old, body)).status).toBe(401);
    expect((await post(urls.lgwan, path, headers, body)).status).toBe(200);
  });

  it('a file crosses as bytes after the JSON; bytes changed or added on the way are refused', async () => {
    const text = new TextEncoder().encode('番号,値\n1,2\n');
    const message = (uploadId: string) => ({
      municipalityCode: CHIYODA,
      payload: {
        uploadId,
        uploadedBy: 'resident:00000000-0000-4000-8000-000000000001',
        receivedAt: clock.now().toISOString(),
        mediaType: 'text/csv; charset=utf-8',
        report: {
          detectedType: 'csv',
          input: { bytes: 1, sha256: 'a'.repeat(64) },
          actions: [],
          removed: [],
          warnings: [],
        },
      },
      attachment: { data: text },
    });
    const kept = randomUUID();
    const [receipt] = await zones.internet.gateway.sendAll('lgwan', sanitizedFileV2, [message(kept)]);
    expect(receipt!.result).toEqual({ kept });
    const file = await receivedFileContent(
      zones.lgwan.context.database.db,
      zones.lgwan.context.files,
      tenantScope(CHIYODA),
      kept,
    );
    expect(Buffer.from(file!.content)).toEqual(Buffer.from(text));
    // The same call by hand: signed JSON, a line feed, the bytes; then with the bytes changed.
    const path = gatewayPaths.batch;
    const uploadId = randomUUID();
    const envelope = {
      id: randomUUID(),
      type: sanitizedFileV2.type,
      version: sanitizedFileV2.version,
      from: 'internet',
      to: 'lgwan',
      sentAt: clock.now().toISOString(),
      ...message(uploadId),
      attachment: { bytes: text.length, sha256: createHash('sha256').update(text).digest('hex') },
    };
    const body = JSON.stringify({ messages: [envelope] });
    const headers = signRequest(network.keysFor('internet'), clock, {
      method: 'POST',
      path,
      from: 'internet',
      to: 'lgwan',
      body,
    });
    const send = (attached: Uint8Array) =>
      fetch(new URL(path, urls.lgwan), {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/vnd.machi.gateway-attached' },
        body: Buffer.concat([Buffer.from(`${body}\n`), attached]),
      });
    const changed = Buffer.from(text);
    changed[0] = changed[0]! ^ 1;
    for (const attached of [changed, Buffer.concat([text, Buffer.from('+')]), text.subarray(1)]) {
      const response = await send(attached);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ type: '/problems/gateway-message-invalid' });
    }
    expect(
      await receivedFileContent(
        zones.lgwan.context.database.db,
        zones.lgwan.context.files,
        tenantScope(CHIYODA),
        uploadId,
      ),
    ).toBeUndefined();
    expect((await send(text)).status).toBe(200);
    // A body past its path's limit is refused before its end is read (pull takes no attachments at all).
    const oversized = await fetch(new URL(gatewayPaths.pull, urls.lgwan), {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/vnd.machi.gateway-attached' },
      body: Buffer.alloc(512 * 1024, 0x20),
    });
    expect(oversized.status).toBe(413);
  });

  it('a caller rejects an answer that is not signed by the zone it called', async () => {
    // mynumber calls "lgwan", but the address points at the internet zone (which answers 404, unsigned).
    const saved = urls.lgwan;
    urls.lgwan = urls.internet;
    try {
      expect(await codeOf(zones.mynumber.gateway.pull('lgwan'))).toBe('not-found');
    } finally {
      urls.lgwan = saved;
    }
  });

  it('reports an unreachable zone as gateway-unreachable', async () => {
    const saved = urls.lgwan;
    urls.lgwan = 'http://127.0.0.1:9';
    try {
      expect(await codeOf(zones.mynumber.gateway.pull('lgwan'))).toBe('gateway-unreachable');
    } finally {
      urls.lgwan = saved;
    }
  });
});
