// Residents' uploads on the internet zone: sanitized in worker processes as they arrive, the
// original quarantined, the report returned; refusals are problem+json, and a hostile file
// never stops the zone from answering.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, renameSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog, type LgCode, verifyAuditChain } from '../../src/core/index.ts';
import {
  createSanitizer,
  keepWholeFiles,
  receivedFileContent,
  receiveUpload,
  releaseQuarantine,
  SETTLE_MS,
  sweepUploadFiles,
  UnsettledParts,
  unsentUploads,
  unsettledPartsOf,
  uploadFileKey,
} from '../../src/modules/sanitize/index.ts';
import { sanitizedFilePartV1, sanitizedFileV1, sanitizedFileV2 } from '../../src/zones/gateway/index.ts';
import { forwardUploads } from '../../src/zones/internet/uploads.ts';
import type { ThreeZones } from '../gateway/support.ts';
import { openZonesWithPki, type SignedInResident, signedInResident, upload as uploadAs } from './support.ts';

let zones: ThreeZones & { remove(): void };
const residents: SignedInResident[] = [];

beforeAll(async () => {
  zones = await openZonesWithPki();
  residents.push(await signedInResident(zones, 801), await signedInResident(zones, 802));
});
afterAll(async () => {
  await zones?.close();
  zones?.remove();
});

function upload(bytes: Uint8Array, who = residents[0]!, contentType = 'application/octet-stream') {
  return uploadAs(zones, who, bytes, contentType);
}

/** Makes uploads wait to go inward again, as after lgwan was away or a crash before their mark. */
async function waitingAgain(database: ThreeZones['internet']['context']['database'], ids: readonly string[]) {
  await sql`insert into sanitize_uploads_unsent (municipality_code, upload_id, received_at)
    select municipality_code, upload_id, received_at from sanitize_uploads where upload_id::text = any(${ids})
    on conflict do nothing`.execute(database.db);
}

const csv = new TextEncoder().encode('氏名,メモ\n山田,=HYPERLINK("http://evil.example")\n');

describe('POST /api/v1/uploads', () => {
  it('sanitizes the file, keeps the original in quarantine, and reports what it removed', async () => {
    // The header says PDF; the content is CSV, and CSV is what it is treated as.
    const response = await upload(csv, residents[0], 'application/pdf');
    expect(response.statusCode, response.body).toBe(201);
    const { uploadId, report } = response.json();
    expect(report).toMatchObject({ detectedType: 'csv', outcome: 'rebuilt' });
    expect(report.removed).toContainEqual({ kind: 'formula', count: 1 });
    const row = await zones.internet.context.database.db
      .selectFrom('sanitize_uploads' as never)
      .selectAll()
      .where('upload_id' as never, '=', uploadId as never)
      .executeTakeFirstOrThrow();
    const stored = row as {
      original: unknown;
      rebuilt: unknown;
      original_in_store: boolean;
      rebuilt_in_store: boolean;
      uploaded_by: string;
      municipality_code: string;
      received_at: Date;
    };
    // Both files beside the database, none in the row.
    expect(stored).toMatchObject({
      original: null,
      rebuilt: null,
      original_in_store: true,
      rebuilt_in_store: true,
    });
    const { files } = zones.internet.context;
    const place = { municipalityCode: '131016', uploadId, receivedAt: new Date(stored.received_at) };
    expect(Buffer.from((await files.get(uploadFileKey(place, 'original')))!).equals(Buffer.from(csv))).toBe(
      true,
    );
    const rebuilt = Buffer.from((await files.get(uploadFileKey(place, 'rebuilt')))!).toString();
    expect(rebuilt).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(createHash('sha256').update(rebuilt).digest('hex')).toBe(report.output.sha256);
    expect(stored.uploaded_by).toMatch(/^resident:/);

    // The resident reads the report again; another resident does not see it.
    const own = await zones.internet.app.inject({
      method: 'GET',
      url: `/api/v1/uploads/${uploadId}`,
      headers: { cookie: residents[0]!.cookie },
    });
    expect(own.json()).toMatchObject({ detectedType: 'csv' });
    const other = await zones.internet.app.inject({
      method: 'GET',
      url: `/api/v1/uploads/${uploadId}`,
      headers: { cookie: residents[1]!.cookie },
    });
    expect(other.statusCode).toBe(404);

    // After the retention period the original's bytes go; the rebuilt file and the report stay.
    const later = new Date(Date.now() + 31 * 86_400_000);
    expect(await releaseQuarantine(zones.internet.context.database, files, later)).toBeGreaterThanOrEqual(1);
    const released = (await zones.internet.context.database.db
      .selectFrom('sanitize_uploads' as never)
      .select(['original_in_store' as never, 'report' as never])
      .where('upload_id' as never, '=', uploadId as never)
      .executeTakeFirstOrThrow()) as { original_in_store: boolean; report: unknown };
    expect(released.original_in_store).toBe(false);
    expect(released.report).toBeTruthy();
    expect(await files.get(uploadFileKey(place, 'original'))).toBeUndefined();
    expect(await files.get(uploadFileKey(place, 'rebuilt'))).toBeDefined();
    // Again: nothing more to release, and no error.
    expect(await releaseQuarantine(zones.internet.context.database, files, later)).toBe(0);
  });

  it('refuses a program with problem+json saying why, and records the refusal', async () => {
    const response = await upload(new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]));
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      type: '/problems/file-refused',
      reason: 'type-not-allowed',
      detectedType: 'executable',
    });
  });

  it('asks for a resident session and its CSRF token, and refuses an empty body', async () => {
    const anonymous = await zones.internet.app.inject({
      method: 'POST',
      url: '/api/v1/uploads',
      payload: 'x',
    });
    expect(anonymous.json().type).toBe('/problems/authentication-required');
    const forged = await zones.internet.app.inject({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: { cookie: residents[0]!.cookie, 'content-type': 'text/plain' },
      payload: 'x',
    });
    expect(forged.json().type).toBe('/problems/csrf-invalid');
    const empty = await upload(new Uint8Array());
    expect(empty.json().type).toBe('/problems/validation-failed');
    // Over MACHI_UPLOAD_MAX_BYTES (50 MB by default): refused before anything reads it.
    const huge = await upload(new Uint8Array(50 * 1024 * 1024 + 1));
    expect(huge.json()).toMatchObject({ type: '/problems/payload-too-large', status: 413 });
  });

  it('keeps answering other requests while a worker chews on a bomb', async () => {
    // A million short lines: a second or more of work, done in a worker process, not in the zone's.
    const heavy = new TextEncoder().encode('a,b\n'.repeat(1_000_000));
    let uploaded = false;
    const pending = upload(heavy).then((response) => {
      uploaded = true;
      return response;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const health = await zones.internet.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(uploaded).toBe(false);
    const done = await pending;
    expect(done.statusCode, done.body).toBe(201);
  });
});

describe('going inward: only the rebuilt file and its report cross to lgwan', () => {
  const scope = { municipalityCode: '131016' as LgCode };
  async function receivedInLgwan(uploadId: string) {
    for (let i = 0; i < 100; i++) {
      const row = await zones.lgwan.context.database.db
        .selectFrom('sanitize_received_files' as never)
        .selectAll()
        .where('upload_id' as never, '=', uploadId as never)
        .executeTakeFirst();
      if (row) {
        const file = await receivedFileContent(
          zones.lgwan.context.database.db,
          zones.lgwan.context.files,
          scope,
          uploadId,
        );
        return {
          ...(row as { sha256: string; media_type: string; report: unknown }),
          content: file!.content,
        };
      }
      await forwardUploads(zones.internet.context, zones.internet.gateway);
    }
    throw new Error('the file never reached lgwan');
  }

  it('sends a large file whole, in one message, which lgwan checks and keeps; the original stays outside', async () => {
    const rows = Array.from({ length: 80_000 }, (_, i) => `${i},=CMD|' /C calc'!A${i}`).join('\n');
    const response = await upload(new TextEncoder().encode(`番号,式\n${rows}\n`));
    expect(response.statusCode, response.body).toBe(201);
    const { uploadId, report } = response.json();
    const kept = await receivedInLgwan(uploadId);
    expect(kept.content.length).toBe(report.output.bytes);
    expect(kept.content.length).toBeGreaterThan(1024 * 1024);
    expect(kept.sha256).toBe(report.output.sha256);
    expect(kept.media_type).toBe('text/csv; charset=utf-8');
    const inLgwan = Buffer.from(kept.content).toString('utf8');
    expect(inLgwan).not.toMatch(/^=|,=/m);
    // One file beside lgwan's database, the file's only copy: the database holds neither its
    // bytes nor the original's.
    const stored = await sql<{ parts: number; inStore: number; whole: number }>`
      select (select count(*)::int from sanitize_file_parts where upload_id = ${uploadId}) as parts,
             (select count(*)::int from sanitize_file_parts where upload_id = ${uploadId}
                 and data_in_store and data is null) as "inStore",
             (select count(*)::int from sanitize_received_files where upload_id = ${uploadId} and content is not null) as whole
    `.execute(zones.lgwan.context.database.db);
    expect(stored.rows[0]).toEqual({ parts: 1, inStore: 1, whole: 0 });
    const folder = `received/131016/${uploadId}`;
    const partFiles = await zones.lgwan.context.files.list(folder);
    expect(partFiles.map((file) => file.key)).toEqual([`${folder}/0.part`]);
    // A part changed after the file was checked is not served as the file.
    const first = `${folder}/0.part`;
    const genuine = (await zones.lgwan.context.files.get(first))!;
    await zones.lgwan.context.files.put(first, new TextEncoder().encode('changed'));
    await expect(
      receivedFileContent(zones.lgwan.context.database.db, zones.lgwan.context.files, scope, uploadId),
    ).rejects.toThrow(/not the file that was checked/);
    await zones.lgwan.context.files.put(first, genuine);
    // Sent again (a retry after a crash): the same messages, kept once.
    await waitingAgain(zones.internet.context.database, [uploadId]);
    await forwardUploads(zones.internet.context, zones.internet.gateway);
    const copies = await zones.lgwan.context.database.db
      .selectFrom('sanitize_received_files' as never)
      .select('upload_id' as never)
      .where('upload_id' as never, '=', uploadId as never)
      .execute();
    expect(copies).toHaveLength(1);
  });

  it("stores files as they are in both zones' databases, not compressed again", async () => {
    // pglz tried each 1 MB JPEG in full before giving up: 'e' (external) stores it out of line, as is.
    const storage = async (database: typeof zones.lgwan.context.database, table: string) => {
      const result = await sql<{ attname: string; attstorage: string }>`
        select attname, attstorage from pg_attribute
         where attrelid = ${table}::regclass and atttypid = 'bytea'::regtype`.execute(database.db);
      return Object.fromEntries(result.rows.map((row) => [row.attname, row.attstorage]));
    };
    expect(await storage(zones.internet.context.database, 'sanitize_uploads')).toEqual({
      original: 'e',
      rebuilt: 'e',
    });
    expect(await storage(zones.lgwan.context.database, 'sanitize_file_parts')).toEqual({ data: 'e' });
    expect(await storage(zones.lgwan.context.database, 'sanitize_received_files')).toEqual({ content: 'e' });
  });

  it('reads files to send from the file store or, kept before it, from their row', async () => {
    // Rebuilt uploads waiting to go inward, written here so that no forwarding round races:
    // one whose file is in the store, one kept in its row (as before the store), one whose
    // file has gone missing.
    const { database, files } = zones.internet.context;
    const [inStore, inRow, missing] = [randomUUID(), randomUUID(), randomUUID()] as [string, string, string];
    const receivedAt = new Date(Date.now() - 86_400_000);
    const report = {
      detectedType: 'text',
      input: { bytes: 6, sha256: 'a'.repeat(64) },
      outcome: 'rebuilt',
      output: { bytes: 6, sha256: 'b'.repeat(64), mediaType: 'text/plain; charset=utf-8' },
      actions: [],
      removed: [],
      warnings: [],
    };
    // In this order (a millisecond apart), before any other waiting upload.
    for (const [index, [uploadId, row]] of [
      [inStore, null],
      [inRow, new TextEncoder().encode('in row')],
      [missing, null],
    ].entries()) {
      await sql`insert into sanitize_uploads (municipality_code, upload_id, uploaded_by, received_at,
          retain_until, original_sha256, outcome, report, rebuilt, rebuilt_in_store, rebuilt_media_type)
        values ('131016', ${uploadId}, 'resident:test', ${new Date(receivedAt.getTime() + index)}, now(), ${'a'.repeat(64)},
          'rebuilt', ${JSON.stringify(report)}, ${row}, ${row === null}, 'text/plain; charset=utf-8')`.execute(
        database.db,
      );
    }
    const key = uploadFileKey({ municipalityCode: '131016', uploadId: inStore, receivedAt }, 'rebuilt');
    await files.put(key, new TextEncoder().encode('in store'));
    await sql`insert into sanitize_uploads_unsent (municipality_code, upload_id, received_at)
      select municipality_code, upload_id, received_at from sanitize_uploads
      where upload_id in (${inStore}, ${inRow}, ${missing})`.execute(database.db);
    const waiting = async (options: { limit?: number; maxBytes?: number } = {}) => {
      const unsent = await unsentUploads(database, files, { limit: 100, ...options });
      return Object.fromEntries(
        unsent
          .filter((u) => [inStore, inRow, missing].includes(u.uploadId))
          .map((u) => [u.uploadId, Buffer.from(u.content).toString()]),
      );
    };
    // A page ends at its bytes (the report says each file's), with one file at least.
    expect(await waiting({ maxBytes: 1 })).toEqual({ [inStore]: 'in store' });
    expect(await waiting()).toEqual({ [inStore]: 'in store', [inRow]: 'in row' });
    // The one whose file is missing is not sent, and says why.
    const refused = await database.db
      .selectFrom('sanitize_uploads' as never)
      .select('forward_error' as never)
      .where('upload_id' as never, '=', missing as never)
      .executeTakeFirstOrThrow();
    expect(refused).toEqual({ forward_error: 'The rebuilt file is missing from the file store.' });
    await sql`delete from sanitize_uploads_unsent where upload_id in (${inStore}, ${inRow}, ${missing})`.execute(
      database.db,
    );
    await sql`delete from sanitize_uploads where upload_id in (${inStore}, ${inRow}, ${missing})`.execute(
      database.db,
    );
    await files.remove(key);
  });

  it('sweeps away the files a crash left without their row, once they are old enough', async () => {
    const { database, files } = zones.internet.context;
    const receivedAt = new Date();
    const place = (uploadId: string, municipalityCode = '131016') => ({
      municipalityCode,
      uploadId,
      receivedAt,
    });
    const response = await upload(new TextEncoder().encode('番号\n1\n'));
    const kept = response.json().uploadId as string;
    const [orphan, young] = [randomUUID(), randomUUID()];
    // One of a municipality the zone no longer serves (its folder stays).
    const unserved = place(randomUUID(), '401307');
    await files.put(uploadFileKey(unserved, 'original'), new TextEncoder().encode('w'));
    await files.put(uploadFileKey(place(orphan), 'original'), new TextEncoder().encode('x'));
    await files.put(uploadFileKey(place(young), 'original'), new TextEncoder().encode('y'));
    const folder = uploadFileKey(place(orphan), 'original').replace(/\/[^/]+$/, '');
    const temporary = `${folder}/${orphan}.rebuilt.${randomUUID()}.tmp`;
    await files.put(`${folder}/scratch`, new TextEncoder().encode('z'));
    renameSync(join(files.dir, `${folder}/scratch`), join(files.dir, temporary));
    // An hour old, but for the young orphan (its transaction may still be under way).
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const key of [
      uploadFileKey(unserved, 'original'),
      uploadFileKey(place(orphan), 'original'),
      uploadFileKey(place(kept), 'original'),
      uploadFileKey(place(kept), 'rebuilt'),
      temporary,
    ])
      utimesSync(join(files.dir, key), hourAgo, hourAgo);
    expect(await sweepUploadFiles(database, files, [receivedAt])).toBe(3);
    expect(await files.get(uploadFileKey(unserved, 'original'))).toBeUndefined();
    expect(await files.get(uploadFileKey(place(orphan), 'original'))).toBeUndefined();
    expect(await files.get(temporary)).toBeUndefined();
    expect(await files.get(uploadFileKey(place(young), 'original'))).toBeDefined();
    expect(await files.get(uploadFileKey(place(kept), 'original'))).toBeDefined();
    expect(await files.get(uploadFileKey(place(kept), 'rebuilt'))).toBeDefined();
    await files.remove(uploadFileKey(place(young), 'original'));
  });

  it('keeps each upload with its audit entry once, while another process appends to the chain', async () => {
    const sanitizer = createSanitizer({ workers: 1 });
    const { database, clock } = zones.internet.context;
    // A second writer of the same chain, as another process of the zone would be: each moves
    // the head the other knows, and the one-statement way is refused and tried again.
    const other = createAuditLog(database, clock);
    try {
      const uploads = Array.from({ length: 6 }, (_, n) =>
        receiveUpload(
          { ...zones.internet.context, sanitizer, retentionDays: 30 },
          { municipalityCode: '131016' as LgCode, uploadedBy: `resident:audit-${n}`, content: csv },
          new Date(),
        ),
      );
      const appends = Array.from({ length: 6 }, (_, n) =>
        other.record({
          municipalityCode: '131016' as LgCode,
          actor: 'staff:other-process',
          action: 'test.other-process',
          target: `entry-${n}`,
          outcome: 'success',
        }),
      );
      const kept = await Promise.all(uploads);
      await Promise.all(appends);
      const entries = await sql<{ target: string; actor: string }>`
        select target, actor from audit_log where action = 'sanitize.upload' and actor like 'resident:audit-%'`.execute(
        database.db,
      );
      expect(entries.rows.map((row) => row.target).sort()).toEqual(kept.map((item) => item.uploadId).sort());
      const rows = await sql<{ count: number }>`
        select count(*)::int as count from sanitize_uploads where uploaded_by like 'resident:audit-%'`.execute(
        database.db,
      );
      expect(rows.rows[0]!.count).toBe(6);
      expect((await verifyAuditChain(database.db)).ok).toBe(true);
    } finally {
      await other.flush();
      await sanitizer.close();
    }
  });

  it('removes the files at once when their row cannot be written', async () => {
    const sanitizer = createSanitizer({ workers: 1 });
    try {
      const { files } = zones.internet.context;
      // A code of seven digits does not fit the row's char(6): the transaction fails.
      const failing = receiveUpload(
        { ...zones.internet.context, sanitizer, retentionDays: 30 },
        { municipalityCode: '1310160' as LgCode, uploadedBy: 'resident:test', content: csv },
        new Date(),
      );
      await expect(failing).rejects.toThrow();
      // The files were written (their folder was made for them), and are gone.
      const folder = `uploads/1310160/${new Date().toISOString().slice(0, 10)}`;
      expect(existsSync(join(files.dir, folder))).toBe(true);
      expect(await files.list(folder)).toEqual([]);
    } finally {
      await sanitizer.close();
    }
  });

  it('refuses a body that passes the limit as it streams (no length said), keeping nothing', async () => {
    const sanitizer = createSanitizer({ workers: 1 });
    try {
      const { files } = zones.internet.context;
      async function* chunked() {
        yield csv;
        yield csv;
      }
      const failing = receiveUpload(
        { ...zones.internet.context, sanitizer, retentionDays: 30 },
        {
          municipalityCode: '131099' as LgCode,
          uploadedBy: 'resident:test',
          content: chunked(),
          maxBytes: csv.length + 1,
        },
        new Date(),
      );
      await expect(failing).rejects.toMatchObject({ code: 'payload-too-large' });
      expect(await files.list(`uploads/131099/${new Date().toISOString().slice(0, 10)}`)).toEqual([]);
    } finally {
      await sanitizer.close();
    }
  });

  it('sends a backlog in one round, page after page', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 12; n++) {
      const response = await upload(new TextEncoder().encode(`番号,値\n${n},${n * 7}\n`), residents[1]);
      ids.push(response.json().uploadId);
    }
    for (const id of ids) await receivedInLgwan(id);
    // All twelve waiting again (as after lgwan was away): more than two pages of five.
    const internet = zones.internet.context.database.db;
    await waitingAgain(zones.internet.context.database, ids);
    const versions = sql<{ version: string }>`
      select xmin::text as version from sanitize_uploads where upload_id::text = any(${ids}) order by upload_id`;
    const before = (await versions.execute(internet)).rows;
    expect(await forwardUploads(zones.internet.context, zones.internet.gateway)).toBeGreaterThanOrEqual(12);
    const waiting = await internet
      .selectFrom('sanitize_uploads_unsent' as never)
      .select('upload_id' as never)
      .where('upload_id' as never, 'in', ids as never)
      .execute();
    expect(waiting).toEqual([]);
    // Delivered deletes the unsent rows: the uploads' own rows (~2 KB each) are not written again.
    expect((await versions.execute(internet)).rows).toEqual(before);
  });

  it('lgwan refuses a file that is not what its header says', async () => {
    const uploadId = '00000000-0000-4000-8000-0000000000aa';
    const send = <T>(type: Parameters<typeof zones.internet.gateway.send>[1], payload: T) =>
      zones.internet.gateway.send('lgwan', type, {
        municipalityCode: '131016' as never,
        payload: payload as never,
      });
    await send(sanitizedFilePartV1, {
      uploadId,
      index: 0,
      data: Buffer.from('MZ\x90\x00').toString('base64'),
    });
    const header = {
      uploadId,
      uploadedBy: 'resident:00000000-0000-4000-8000-000000000001',
      receivedAt: new Date().toISOString(),
      mediaType: 'application/pdf',
      bytes: 4,
      sha256: createHash('sha256').update('MZ\x90\x00', 'latin1').digest('hex'),
      parts: 1,
      report: {
        detectedType: 'pdf',
        input: { bytes: 4, sha256: 'a'.repeat(64) },
        actions: [],
        removed: [],
        warnings: [],
      },
    };
    await expect(send(sanitizedFileV1, header)).rejects.toMatchObject({ code: 'gateway-message-invalid' });
    for (const lie of [{ parts: 2 }, { bytes: 5 }, { sha256: 'b'.repeat(64) }]) {
      await expect(send(sanitizedFileV1, { ...header, ...lie }), JSON.stringify(lie)).rejects.toMatchObject({
        code: 'gateway-message-invalid',
      });
    }
    // The header matches (a program, as it is): still refused, for its content's type.
    const program = { ...header, mediaType: 'application/zip' };
    await expect(send(sanitizedFileV1, program)).rejects.toMatchObject({ code: 'gateway-message-invalid' });
    // The same, whole: refused for its type too, and a stated hash that is not the bytes' by the gateway.
    const { bytes: _bytes, sha256, parts: _parts, ...whole } = header;
    const sendWhole = (data: Uint8Array, stated?: string) =>
      zones.internet.gateway.send('lgwan', sanitizedFileV2, {
        municipalityCode: '131016' as LgCode,
        payload: whole,
        attachment: { data, ...(stated ? { sha256: stated } : {}) },
      });
    const mz = new Uint8Array(Buffer.from('MZ\x90\x00', 'latin1'));
    await expect(sendWhole(mz)).rejects.toThrow(/application\/pdf expected, the content is/);
    await expect(sendWhole(new TextEncoder().encode('%PDF-1.7\n'), sha256)).rejects.toThrow(
      /does not have the SHA-256 its envelope states/,
    );
    const kept = await zones.lgwan.context.database.db
      .selectFrom('sanitize_received_files' as never)
      .select('upload_id' as never)
      .where('upload_id' as never, '=', uploadId as never)
      .execute();
    expect(kept).toEqual([]);
  });

  it('still takes a file in parts from an internet zone of before, and a whole file replaces parts left unfinished', async () => {
    const { db } = zones.lgwan.context.database;
    const text = new TextEncoder().encode('番号,値\n1,2\n3,4\n');
    const header = (uploadId: string) => ({
      uploadId,
      uploadedBy: 'resident:00000000-0000-4000-8000-000000000001',
      receivedAt: new Date().toISOString(),
      mediaType: 'text/csv; charset=utf-8',
      report: {
        detectedType: 'csv',
        input: { bytes: text.length, sha256: 'a'.repeat(64) },
        actions: [],
        removed: [],
        warnings: [],
      },
    });
    const part = (uploadId: string, index: number, data: Uint8Array) =>
      zones.internet.gateway.send('lgwan', sanitizedFilePartV1, {
        municipalityCode: '131016' as LgCode,
        payload: { uploadId, index, data: Buffer.from(data).toString('base64') },
      });
    const sha256 = createHash('sha256').update(text).digest('hex');
    // In three parts, then the header (v1).
    const inParts = randomUUID();
    for (const [index, at] of [0, 7, 14].entries()) await part(inParts, index, text.subarray(at, at + 7));
    await zones.internet.gateway.send('lgwan', sanitizedFileV1, {
      municipalityCode: '131016' as LgCode,
      payload: { ...header(inParts), bytes: text.length, sha256, parts: 3 },
    });
    const content = async (uploadId: string) =>
      Buffer.from(
        (await receivedFileContent(db, zones.lgwan.context.files, scope, uploadId))!.content,
      ).toString();
    expect(await content(inParts)).toBe(new TextDecoder().decode(text));
    // Two parts of three came (an internet zone of before stopped), then the file whole (v2).
    const unfinished = randomUUID();
    await part(unfinished, 0, new TextEncoder().encode('stale'));
    await part(unfinished, 1, new TextEncoder().encode('stale'));
    await zones.internet.gateway.send('lgwan', sanitizedFileV2, {
      municipalityCode: '131016' as LgCode,
      payload: header(unfinished),
      attachment: { data: text },
    });
    expect(await content(unfinished)).toBe(new TextDecoder().decode(text));
    const parts = await sql<{ part: number }>`
      select part from sanitize_file_parts where upload_id = ${unfinished}`.execute(db);
    expect(parts.rows).toEqual([{ part: 0 }]);
    // The replaced parts' files go at the first sweep after they have settled; the whole file stays.
    const { files } = zones.lgwan.context;
    const partFile = (index: number) => files.get(`received/131016/${unfinished}/${index}.part`);
    const unsettled = unsettledPartsOf(files);
    await unsettled.sweep(zones.lgwan.context.database, files);
    expect(await partFile(1)).toBeDefined();
    await unsettled.sweep(zones.lgwan.context.database, files, Date.now() + SETTLE_MS);
    expect([await partFile(1), await partFile(2)]).toEqual([undefined, undefined]);
    expect(Buffer.from((await partFile(0))!).toString()).toBe(new TextDecoder().decode(text));
    expect(unsettled.size).toBe(0);
  });

  it('removes the part files of a transaction that rolled back, once it cannot be under way', async () => {
    const { database, files } = zones.lgwan.context;
    const unsettled = new UnsettledParts();
    const text = new TextEncoder().encode('番号\n1\n');
    const whole = (uploadId: string) => ({
      municipalityCode: '131016' as LgCode,
      header: {
        uploadId,
        uploadedBy: 'resident:00000000-0000-4000-8000-000000000001',
        receivedAt: new Date().toISOString(),
        mediaType: 'text/csv; charset=utf-8',
        bytes: text.length,
        sha256: createHash('sha256').update(text).digest('hex'),
        report: {},
      },
      content: [text],
    });
    const keep = (uploadId: string, afterCommit: (task: () => void) => void, rollBack: boolean) =>
      database.db.transaction().execute(async (trx) => {
        await keepWholeFiles(trx, { files, unsettled, afterCommit }, [whole(uploadId)], new Date());
        if (rollBack) throw new Error('another message of the batch was refused');
      });
    const partFile = (uploadId: string) => files.get(`received/131016/${uploadId}/0.part`);
    const [rolledBack, committed, committedUnheard] = [randomUUID(), randomUUID(), randomUUID()];
    await expect(keep(rolledBack, () => {}, true)).rejects.toThrow(/refused/);
    expect(await partFile(rolledBack)).toBeDefined();
    const tasks: (() => void)[] = [];
    await keep(committed, (task) => tasks.push(task), false);
    for (const task of tasks) task();
    // Committed, but its process never ran what follows a commit (it stopped): its row still names the file.
    await keep(committedUnheard, () => {}, false);
    expect(unsettled.size).toBe(2);

    expect(await unsettled.sweep(database, files)).toBe(0);
    expect(await partFile(rolledBack)).toBeDefined();
    expect(await unsettled.sweep(database, files, Date.now() + SETTLE_MS)).toBe(1);
    expect(await partFile(rolledBack)).toBeUndefined();
    expect(await partFile(committed)).toBeDefined();
    expect(await partFile(committedUnheard)).toBeDefined();
    expect(unsettled.size).toBe(0);
  });
});
