import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, isMachiError, type LgCode, MachiError, tenantScope } from '../../src/core/index.ts';
import { latestPopulationSnapshot, storePopulationSnapshot } from '../../src/modules/statistics/index.ts';
import { receiveAll, receiveOnce } from '../../src/zones/gateway/inbox.ts';
import {
  createEmbeddedNetwork,
  createZoneGateway,
  crlV1,
  type GatewayNetwork,
  type GatewayResponse,
  gatewayPaths,
  type MessageHandler,
  type PopulationStatisticsPayload,
  pendingInOutbox,
  populationStatisticsRequestV1,
  populationStatisticsV1,
} from '../../src/zones/gateway/index.ts';
import { LEASE_MS } from '../../src/zones/gateway/outbox.ts';
import { signRequest } from '../../src/zones/gateway/signature.ts';
import { MAX_BATCH } from '../../src/zones/gateway/wire.ts';
import { pushPopulationStatistics } from '../../src/zones/mynumber/population-statistics.ts';
import { signedInStaff } from '../support/staff.ts';
import { addResidents, auditActions, openThreeZones, statisticsPayload, type ThreeZones } from './support.ts';

const CHIYODA = '131016' as LgCode;
const SAPPORO = '011002' as LgCode;
const clock = fixedClock(new Date('2025-04-01T03:00:00Z'));
let network: GatewayNetwork;
let zones: ThreeZones;
setFlagsFromString('--expose-gc');
/** A full collection now (a fresh context gets the flag's `gc`). */
const collectGarbage = runInNewContext('gc') as () => void;

beforeAll(async () => {
  network = createEmbeddedNetwork();
  zones = await openThreeZones(network, clock);
  await addResidents(zones.mynumber, CHIYODA, [
    { sex: 1, birthDate: '1980-04-01' }, // 45 on 2025-04-01: band 45–49
    { sex: 2, birthDate: '1980-04-02' }, // 44: band 40–44
    { sex: 2, birthDate: '2025-03-31' }, // 0
    { sex: 9, birthDate: '1920-01-01' }, // 105: 100+
    { sex: 1, birthDate: '1990-01-01', status: 'moved-out' }, // not counted
  ]);
  await addResidents(zones.mynumber, SAPPORO, [{ sex: 1, birthDate: '2000-01-01' }]);
});
afterAll(async () => {
  await zones?.close();
});

/** A statistics request from lgwan under `id`: another message than any statistics pushed. */
function requestWithId(id: string) {
  return {
    id,
    type: populationStatisticsRequestV1.type,
    version: 1,
    from: 'lgwan' as const,
    to: 'mynumber' as const,
    sentAt: clock.now().toISOString(),
    municipalityCode: CHIYODA,
    payload: {},
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (isMachiError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe('statistics between lgwan and mynumber, in-process', () => {
  it('a refresh request waits in the lgwan outbox, is pulled by mynumber and answered with counts', async () => {
    const requestId = await zones.lgwan.context.database.db.transaction().execute((trx) =>
      zones.lgwan.gateway.enqueue(trx, 'mynumber', populationStatisticsRequestV1, {
        municipalityCode: CHIYODA,
        payload: {},
      }),
    );
    expect(await pendingInOutbox(zones.lgwan.context.database, 'mynumber')).toBe(1);

    const pulled = await zones.mynumber.gateway.pull('lgwan');
    expect(pulled).toEqual({ processed: 1, duplicates: 0, rejected: 0 });
    expect(await pendingInOutbox(zones.lgwan.context.database, 'mynumber')).toBe(0);

    const snapshot = await latestPopulationSnapshot(zones.lgwan.context.database.db, tenantScope(CHIYODA));
    expect(snapshot).toMatchObject({
      asOf: '2025-04-01',
      total: 4,
      bySex: { male: 1, female: 2, notApplicable: 1 },
    });
    const counts = Object.fromEntries(snapshot!.byAgeBand.map((band) => [band.fromAge, band.count]));
    expect(counts).toMatchObject({ 0: 1, 40: 1, 45: 1, 100: 1, 5: 0 });

    // Both sides audited the crossing, without the payload.
    const received = await auditActions(zones.mynumber, 'gateway.receive');
    expect(received).toContainEqual(
      expect.objectContaining({
        type: populationStatisticsRequestV1.type,
        version: 1,
        from: 'lgwan',
        messageId: requestId,
      }),
    );
    const lgwanReceived = await auditActions(zones.lgwan, 'gateway.receive');
    expect(lgwanReceived.some((entry) => entry.from === 'mynumber')).toBe(true);
    expect(JSON.stringify(lgwanReceived)).not.toContain('byAgeBand');

    // Nothing left to pull.
    expect(await zones.mynumber.gateway.pull('lgwan')).toEqual({ processed: 0, duplicates: 0, rejected: 0 });
  });

  it('mynumber pushes every served municipality on schedule', async () => {
    expect(await pushPopulationStatistics(zones.mynumber.context, zones.mynumber.gateway)).toBe(2);
    const sapporo = await latestPopulationSnapshot(zones.lgwan.context.database.db, tenantScope(SAPPORO));
    expect(sapporo?.total).toBe(1);
  });

  it('staff read the snapshot through the API; strangers and other municipalities are refused', async () => {
    const url = `/api/v1/municipalities/${CHIYODA}/statistics/population`;
    expect((await zones.lgwan.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    const staff = await signedInStaff(zones.lgwan, { municipalityCode: CHIYODA, roles: ['case-worker'] });
    const response = await zones.lgwan.app.inject({ method: 'GET', url, headers: { cookie: staff.cookie } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ municipalityCode: CHIYODA, total: 4 });
    const other = await zones.lgwan.app.inject({
      method: 'GET',
      url: `/api/v1/municipalities/${SAPPORO}/statistics/population`,
      headers: { cookie: staff.cookie },
    });
    expect(other.statusCode).toBe(403);

    const refresh = await zones.lgwan.app.inject({
      method: 'POST',
      url: `${url}/refresh`,
      headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrfToken },
    });
    expect(refresh.statusCode).toBe(202);
    expect(await pendingInOutbox(zones.lgwan.context.database, 'mynumber')).toBe(1);
    expect(await zones.mynumber.gateway.pull('lgwan')).toMatchObject({ processed: 1 });
  });
});

describe('idempotency: a message id is processed once', () => {
  let runs = 0;
  beforeAll(() => {
    // Counts handler runs; does what the real handler does.
    zones.lgwan.gateway.handle(populationStatisticsV1, async (message, trx) => {
      runs += 1;
      await storePopulationSnapshot(trx, tenantScope(message.municipalityCode!), message.payload, clock);
      return { run: runs };
    });
  });

  it('a second delivery of the same id returns the first result and does not run the handler', async () => {
    const id = randomUUID();
    const message = { id, municipalityCode: CHIYODA, payload: statisticsPayload(clock.now().toISOString()) };
    const before = runs;
    const first = await zones.mynumber.gateway.send('lgwan', populationStatisticsV1, message);
    const second = await zones.mynumber.gateway.send('lgwan', populationStatisticsV1, message);
    expect(first).toEqual({ id, duplicate: false, result: { run: before + 1 } });
    expect(second).toEqual({ id, duplicate: true, result: { run: before + 1 } });
    expect(runs).toBe(before + 1);
  });

  it('concurrent deliveries of the same id run the handler once', async () => {
    const id = randomUUID();
    const message = { id, municipalityCode: CHIYODA, payload: statisticsPayload(clock.now().toISOString()) };
    const before = runs;
    const receipts = await Promise.all(
      Array.from({ length: 5 }, () => zones.mynumber.gateway.send('lgwan', populationStatisticsV1, message)),
    );
    expect(runs).toBe(before + 1);
    expect(receipts.filter((receipt) => !receipt.duplicate)).toHaveLength(1);
    expect(new Set(receipts.map((receipt) => JSON.stringify(receipt.result))).size).toBe(1);
    const audited = await auditActions(zones.lgwan, 'gateway.receive');
    expect(audited.filter((entry) => entry.messageId === id)).toHaveLength(1);
  });

  it('refuses the same id reused for another message, without running any handler', async () => {
    const id = randomUUID();
    const payload = statisticsPayload(clock.now().toISOString());
    await zones.mynumber.gateway.send('lgwan', populationStatisticsV1, {
      id,
      municipalityCode: CHIYODA,
      payload,
    });
    const before = runs;
    const reused = requestWithId(id);
    const { database, audit } = zones.lgwan.context;
    expect(await codeOf(receiveOnce(database, audit, clock, reused, async () => ({ run: -1 })))).toBe(
      'conflict',
    );
    expect(runs).toBe(before);
  });
});

describe('batches: several messages in one call, kept all or none', () => {
  let runs = 0;
  const counting: MessageHandler<PopulationStatisticsPayload> = async (message, trx) => {
    // A total of 13 stands for a message the receiving module cannot take.
    if (message.payload.total === 13) throw new MachiError('gateway-message-invalid', 'unlucky');
    runs += 1;
    await storePopulationSnapshot(trx, tenantScope(message.municipalityCode!), message.payload, clock);
    return { run: runs };
  };
  beforeAll(() => {
    zones.lgwan.gateway.handle(populationStatisticsV1, counting);
  });
  const messageOf = (total = 1, id = randomUUID()) => ({
    id,
    municipalityCode: CHIYODA,
    payload: { ...statisticsPayload(clock.now().toISOString()), total },
  });
  const inInbox = async (ids: string[]) => {
    const rows = await zones.lgwan.context.database.db
      .selectFrom('gateway_inbox' as never)
      .select('message_id' as never)
      .where('message_id' as never, 'in', ids as never)
      .execute();
    return rows.length;
  };

  it('processes each in order, once, with its own receipt and audit entry; one sent before is a duplicate', async () => {
    const earlier = messageOf();
    const before = runs;
    const first = await zones.mynumber.gateway.send('lgwan', populationStatisticsV1, earlier);
    const batch = [messageOf(), earlier, messageOf()];
    const receipts = await zones.mynumber.gateway.sendAll('lgwan', populationStatisticsV1, batch);
    expect(receipts).toEqual([
      { id: batch[0]!.id, duplicate: false, result: { run: before + 2 } },
      { id: earlier.id, duplicate: true, result: first.result },
      { id: batch[2]!.id, duplicate: false, result: { run: before + 3 } },
    ]);
    expect(runs).toBe(before + 3);
    // Sent again whole: every receipt a duplicate, nothing run.
    const again = await zones.mynumber.gateway.sendAll('lgwan', populationStatisticsV1, batch);
    expect(again.map((receipt) => receipt.duplicate)).toEqual([true, true, true]);
    expect(again.map((receipt) => receipt.result)).toEqual(receipts.map((receipt) => receipt.result));
    expect(runs).toBe(before + 3);
    const audited = await auditActions(zones.lgwan, 'gateway.receive');
    for (const message of batch) {
      expect(audited.filter((entry) => entry.messageId === message.id)).toHaveLength(1);
    }
  });

  it('a message the handler refuses refuses the whole batch: nothing of it is kept', async () => {
    const batch = [messageOf(), messageOf(13), messageOf()];
    expect(await codeOf(zones.mynumber.gateway.sendAll('lgwan', populationStatisticsV1, batch))).toBe(
      'gateway-message-invalid',
    );
    expect(await inInbox(batch.map((message) => message.id))).toBe(0);
    // One by one, the others go through (each as a first delivery) and the refused one is told.
    for (const message of [batch[0]!, batch[2]!]) {
      const receipt = await zones.mynumber.gateway.send('lgwan', populationStatisticsV1, message);
      expect(receipt.duplicate).toBe(false);
    }
    expect(await codeOf(zones.mynumber.gateway.send('lgwan', populationStatisticsV1, batch[1]!))).toBe(
      'gateway-message-invalid',
    );
    expect(await inInbox(batch.map((message) => message.id))).toBe(2);
  });

  it('an id used before for another message refuses the batch as a conflict, nothing kept', async () => {
    const other = randomUUID();
    await zones.mynumber.gateway.send('lgwan', populationStatisticsV1, messageOf(1, other));
    const reused = requestWithId(other);
    const fresh = messageOf();
    const { database, audit } = zones.lgwan.context;
    const envelope = {
      ...reused,
      id: fresh.id,
      type: populationStatisticsV1.type,
      from: 'mynumber' as const,
      to: 'lgwan' as const,
      payload: fresh.payload,
    };
    let ran = 0;
    const handler = async (messages: readonly unknown[]) => {
      ran += 1;
      return messages.map(() => ({ run: -1 }));
    };
    expect(await codeOf(receiveAll(database, audit, clock, [envelope, reused], handler))).toBe('conflict');
    expect(ran).toBe(0);
    expect(await inInbox([fresh.id])).toBe(0);
  });

  it('refuses a batch that repeats an id, or carries more than MAX_BATCH, before any is processed', async () => {
    const message = messageOf();
    const before = runs;
    expect(
      await codeOf(zones.mynumber.gateway.sendAll('lgwan', populationStatisticsV1, [message, message])),
    ).toBe('gateway-message-invalid');
    await expect(
      zones.mynumber.gateway.sendAll(
        'lgwan',
        populationStatisticsV1,
        Array.from({ length: MAX_BATCH + 1 }, () => messageOf()),
      ),
    ).rejects.toThrow(RangeError);
    expect(runs).toBe(before);
    expect(await inInbox([message.id])).toBe(0);
  });

  it('a type with a batch handler gets the whole batch in one call, a single message as a batch of one', async () => {
    const calls: number[] = [];
    zones.lgwan.gateway.handleAll(populationStatisticsV1, async (messages, trx) => {
      calls.push(messages.length);
      for (const message of messages) {
        await storePopulationSnapshot(trx, tenantScope(message.municipalityCode!), message.payload, clock);
      }
      return messages.map((message) => ({ total: message.payload.total }));
    });
    try {
      const earlier = messageOf(7);
      await zones.mynumber.gateway.send('lgwan', populationStatisticsV1, earlier);
      const receipts = await zones.mynumber.gateway.sendAll('lgwan', populationStatisticsV1, [
        messageOf(8),
        earlier,
        messageOf(9),
      ]);
      // The one processed before is not handed to the handler again.
      expect(calls).toEqual([1, 2]);
      expect(receipts.map((receipt) => [receipt.duplicate, receipt.result])).toEqual([
        [false, { total: 8 }],
        [true, { total: 7 }],
        [false, { total: 9 }],
      ]);
    } finally {
      zones.lgwan.gateway.handle(populationStatisticsV1, counting);
    }
  });

  it('refuses a batch of more than one type', async () => {
    const keys = network.keysFor('mynumber');
    const statistics = messageOf();
    const envelope = (type: string, id: string, payload: unknown) => ({
      id,
      type,
      version: 1,
      from: 'mynumber',
      to: 'lgwan',
      sentAt: clock.now().toISOString(),
      municipalityCode: CHIYODA,
      payload,
    });
    const body = JSON.stringify({
      messages: [
        envelope(populationStatisticsV1.type, statistics.id, statistics.payload),
        {
          ...envelope(crlV1.type, randomUUID(), {
            kind: 'auth',
            crlNumber: 1,
            crl: 'AAAA',
            thisUpdate: clock.now().toISOString(),
            nextUpdate: clock.now().toISOString(),
          }),
          municipalityCode: null,
        },
      ],
    });
    const path = gatewayPaths.batch;
    const headers = signRequest(keys, clock, { method: 'POST', path, from: 'mynumber', to: 'lgwan', body });
    const response = await zones.lgwan.gateway.endpoint!.handle({ method: 'POST', path, headers, body });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).detail).toMatch(/another type/);
    expect(await inInbox([statistics.id])).toBe(0);
  });

  it('a batch goes only where pushes may go: not lgwan to mynumber (it pulls), not internet to mynumber', async () => {
    const request = [{ municipalityCode: CHIYODA, payload: {} }];
    expect(
      await codeOf(zones.lgwan.gateway.sendAll('mynumber', populationStatisticsRequestV1, request)),
    ).toBe('gateway-route-forbidden');
    expect(
      await codeOf(zones.internet.gateway.sendAll('mynumber', populationStatisticsRequestV1, request)),
    ).toBe('gateway-route-forbidden');
  });
});

describe('a call waiting for its answer', () => {
  it('holds no message of its batch meanwhile: they go at the next collection, not after the answer', async () => {
    // Its own network, whose lgwan answers only when told: the call waits as one does under load.
    const slow = createEmbeddedNetwork();
    let answer: (response: GatewayResponse) => void = () => {};
    slow.attach('lgwan', { handle: () => new Promise((resolve) => (answer = resolve)) });
    const { database, audit } = zones.mynumber.context;
    const gateway = createZoneGateway({ zone: 'mynumber', network: slow, database, audit, clock });
    // Made and sent in a function that returns at once: this test's own locals outlive its awaits.
    const send = () => {
      const payload = { ...statisticsPayload(clock.now().toISOString()), total: 1 };
      const sent = gateway.sendAll('lgwan', populationStatisticsV1, [{ municipalityCode: CHIYODA, payload }]);
      return { held: new WeakRef(payload), waiting: codeOf(sent) };
    };
    const { held, waiting } = send();
    // A WeakRef keeps its object until the task that made it ends.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(held.deref()).toBeUndefined();
    answer({ status: 503, headers: {}, body: '{}' });
    expect(await waiting).toBe('gateway-unreachable');
  });
});

describe('pull and ack', () => {
  it('a puller that crashes after processing and before acking gets the batch again; the inbox makes it harmless', async () => {
    let runs = 0;
    // A second mynumber worker whose ack never arrives (a crash between pull and ack).
    const crashing: GatewayNetwork = {
      ...network,
      transport: {
        async exchange(to, request) {
          if (request.path === gatewayPaths.ack) throw new Error('crashed before ack');
          return network.transport.exchange(to, request);
        },
      },
    };
    const worker = createZoneGateway({
      zone: 'mynumber',
      network: crashing,
      database: zones.mynumber.context.database,
      audit: zones.mynumber.context.audit,
      clock,
    });
    worker.handle(populationStatisticsRequestV1, async () => {
      runs += 1;
      return null;
    });
    const id = await zones.lgwan.context.database.db.transaction().execute((trx) =>
      zones.lgwan.gateway.enqueue(trx, 'mynumber', populationStatisticsRequestV1, {
        municipalityCode: SAPPORO,
        payload: {},
      }),
    );
    await expect(worker.pull('lgwan')).rejects.toThrow('crashed before ack');
    expect(runs).toBe(1);

    // Leased: not offered again before the lease ends.
    expect(await zones.mynumber.gateway.pull('lgwan')).toEqual({ processed: 0, duplicates: 0, rejected: 0 });
    clock.advance(LEASE_MS + 1);
    expect(await zones.mynumber.gateway.pull('lgwan')).toEqual({ processed: 0, duplicates: 1, rejected: 0 });
    expect(runs).toBe(1);
    expect(await pendingInOutbox(zones.lgwan.context.database, 'mynumber')).toBe(0);
    const received = await auditActions(zones.mynumber, 'gateway.receive');
    expect(received.filter((entry) => entry.messageId === id)).toHaveLength(1);
  });

  it('a handler that fails leaves the message in the outbox, to be tried again', async () => {
    const worker = createZoneGateway({
      zone: 'mynumber',
      network,
      database: zones.mynumber.context.database,
      audit: zones.mynumber.context.audit,
      clock,
    });
    worker.handle(populationStatisticsRequestV1, async () => {
      throw new Error('registry unavailable');
    });
    await zones.lgwan.context.database.db.transaction().execute((trx) =>
      zones.lgwan.gateway.enqueue(trx, 'mynumber', populationStatisticsRequestV1, {
        municipalityCode: CHIYODA,
        payload: {},
      }),
    );
    await expect(worker.pull('lgwan')).rejects.toThrow('registry unavailable');
    expect(await pendingInOutbox(zones.lgwan.context.database, 'mynumber')).toBe(1);
    clock.advance(LEASE_MS + 1);
    expect(await zones.mynumber.gateway.pull('lgwan')).toMatchObject({ processed: 1 });
  });

  it('internet pulls only what lgwan holds for internet; lgwan may not pull or push to mynumber', async () => {
    const gatewayDb = zones.lgwan.context.database;
    await gatewayDb.db.transaction().execute((trx) =>
      zones.lgwan.gateway.enqueue(trx, 'mynumber', populationStatisticsRequestV1, {
        municipalityCode: CHIYODA,
        payload: {},
      }),
    );
    const forMynumber = await pendingInOutbox(gatewayDb, 'mynumber');
    expect(forMynumber).toBeGreaterThan(0);
    // The internet zone's pull leases nothing meant for mynumber.
    expect(await zones.internet.gateway.pull('lgwan')).toMatchObject({ processed: 0, rejected: 0 });
    expect(await pendingInOutbox(gatewayDb, 'mynumber')).toBe(forMynumber);
    await zones.mynumber.gateway.pull('lgwan');
    expect(await codeOf(zones.lgwan.gateway.pull('mynumber'))).toBe('gateway-route-forbidden');
    expect(
      await codeOf(
        zones.lgwan.gateway.send('mynumber', populationStatisticsRequestV1, {
          municipalityCode: CHIYODA,
          payload: {},
        }),
      ),
    ).toBe('gateway-route-forbidden');
  });
});

describe('the internet zone cannot reach mynumber (in-process)', () => {
  it('holds no key for mynumber and has no route to it', async () => {
    expect(network.keysFor('internet').get('lgwan-mynumber')).toBeUndefined();
    expect(network.keysFor('internet').get('internet-lgwan')).toBeDefined();
    const message = { municipalityCode: CHIYODA, payload: statisticsPayload(clock.now().toISOString()) };
    expect(await codeOf(zones.internet.gateway.send('mynumber', populationStatisticsV1, message))).toBe(
      'gateway-route-forbidden',
    );
    // Even a message type lgwan accepts from mynumber may not be sent by internet to lgwan.
    expect(await codeOf(zones.internet.gateway.send('lgwan', populationStatisticsV1, message))).toBe(
      'gateway-route-forbidden',
    );
    expect(await codeOf(zones.internet.gateway.pull('mynumber'))).toBe('gateway-route-forbidden');
  });

  it('mynumber answers no gateway call at all', async () => {
    for (const path of Object.values(gatewayPaths)) {
      const response = await network.transport.exchange('mynumber', {
        method: 'POST',
        path,
        headers: {},
        body: '{}',
      });
      expect(response.status).toBe(404);
    }
    expect(zones.mynumber.gateway.endpoint).toBeUndefined();
    expect(zones.internet.gateway.endpoint).toBeUndefined();
  });

  it('lgwan refuses an internet-signed message that claims to come from mynumber', async () => {
    const keys = network.keysFor('internet');
    const envelope = {
      id: randomUUID(),
      type: populationStatisticsV1.type,
      version: 1,
      from: 'mynumber',
      to: 'lgwan',
      sentAt: clock.now().toISOString(),
      municipalityCode: CHIYODA,
      payload: { ...statisticsPayload(clock.now().toISOString()), total: 777 },
    };
    const body = JSON.stringify(envelope);
    const path = gatewayPaths.messages;
    // Signed honestly as internet: the envelope's claim is caught.
    const honest = signRequest(keys, clock, { method: 'POST', path, from: 'internet', to: 'lgwan', body });
    const first = await network.transport.exchange('lgwan', { method: 'POST', path, headers: honest, body });
    expect(first.status).toBe(401);
    // Headers claiming mynumber, signed with the internet key: the signature is caught.
    const forged = { ...honest, 'x-machi-gateway-from': 'mynumber' };
    const second = await network.transport.exchange('lgwan', { method: 'POST', path, headers: forged, body });
    expect(second.status).toBe(401);
    expect(JSON.parse(second.body)).toMatchObject({ type: '/problems/gateway-unauthenticated' });
    const snapshot = await latestPopulationSnapshot(zones.lgwan.context.database.db, tenantScope(CHIYODA));
    expect(snapshot?.total).not.toBe(777);
    const refused = await auditActions(zones.lgwan, 'gateway.refuse');
    expect(refused.at(-1)).toMatchObject({ code: 'gateway-unauthenticated', authenticated: false });
    expect(JSON.stringify(refused)).not.toContain('byAgeBand');
  });
});
