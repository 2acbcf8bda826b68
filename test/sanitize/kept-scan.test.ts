// A photo whose scan the sanitizer keeps as it was: the worker writes the rebuilt file without
// the scan's bytes, which the original holds; the file goes inward whole, and the original is
// not released while the rebuilt file still takes bytes from it.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditMigrations,
  createAuditLog,
  type Database,
  FileStore,
  type LgCode,
  migrate,
  systemClock,
} from '../../src/core/index.ts';
import {
  exifGpsZipJpeg,
  jpegSegment,
  noisyJpeg,
  withSegments,
} from '../../src/modules/sanitize/image/test-corpus.ts';
import {
  createSanitizer,
  markUploadsSent,
  receiveUpload,
  releaseQuarantine,
  type Sanitizer,
  unsentUploads,
  uploadFileKey,
  uploadMigrations,
} from '../../src/modules/sanitize/index.ts';
import { openTestDatabase } from '../support/database.ts';

const municipalityCode = '131016' as LgCode;
const dir = mkdtempSync(join(tmpdir(), 'machi-kept-scan-'));
const files = new FileStore(dir);
let database: Database;
let sanitizer: Sanitizer;

beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db, [auditMigrations, uploadMigrations]);
  sanitizer = createSanitizer({ workers: 1 });
});
afterAll(async () => {
  await sanitizer?.close();
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function receive(photo: Uint8Array) {
  const context = {
    database,
    audit: createAuditLog(database, systemClock),
    clock: systemClock,
    sanitizer,
    retentionDays: 30,
    files,
  };
  const now = new Date();
  const { uploadId, report } = await receiveUpload(
    context,
    { municipalityCode, uploadedBy: 'resident:test', content: photo },
    now,
  );
  const place = { municipalityCode, uploadId, receivedAt: now };
  return { uploadId, report, place };
}

const sizeOf = (key: string) => statSync(join(dir, key)).size;

describe('a photo whose scan is kept', () => {
  it('is written without the scan, read back whole, and its original kept until it has gone inward', async () => {
    // Metadata before the frame, so that the scan lies elsewhere in the original than in the rebuilt file.
    const photo = withSegments(noisyJpeg(320, 240), jpegSegment(0xfe, 'a comment the rebuilt file drops'));
    const { uploadId, report, place } = await receive(photo);
    const kept = report.output!.keptFromInput!;
    expect(kept.length).toBeGreaterThan(photo.length / 2);
    expect(kept.from).not.toBe(kept.at);
    expect(sizeOf(uploadFileKey(place, 'rebuilt'))).toBe(report.output!.bytes - kept.length);

    const [unsent] = (await unsentUploads(database, files)).filter((upload) => upload.uploadId === uploadId);
    expect(unsent!.content.length).toBe(report.output!.bytes);
    expect(sha256(unsent!.content)).toBe(report.output!.sha256);
    // The very file the sanitizer made from these bytes (a worker given them, writing nothing).
    const inMemory = await sanitizer.sanitize(photo);
    expect(Buffer.from(unsent!.content).equals(Buffer.from(inMemory.output!))).toBe(true);

    // Past its retention, the original stays while the rebuilt file still needs it…
    const later = new Date(Date.now() + 31 * 86_400_000);
    expect(await releaseQuarantine(database, files, later)).toBe(0);
    expect(await files.get(uploadFileKey(place, 'original'))).toBeDefined();
    // …and goes once it has gone inward.
    await markUploadsSent(database, [{ municipalityCode, uploadId }]);
    expect(await releaseQuarantine(database, files, later)).toBe(1);
    expect(await files.get(uploadFileKey(place, 'original'))).toBeUndefined();
  });

  it('is not sent when its original was cut short: it is marked, never sent with bytes missing', async () => {
    const { uploadId, report, place } = await receive(noisyJpeg(160, 120));
    const kept = report.output!.keptFromInput!;
    const original = Buffer.from((await files.get(uploadFileKey(place, 'original')))!);
    await files.put(uploadFileKey(place, 'original'), original.subarray(0, kept.from + kept.length - 1));
    const unsent = await unsentUploads(database, files);
    expect(unsent.map((upload) => upload.uploadId)).not.toContain(uploadId);
    const row = await sql<{ forward_error: string }>`
      select forward_error from sanitize_uploads where upload_id = ${uploadId}`.execute(database.db);
    expect(row.rows[0]!.forward_error).toMatch(/missing/);
  });

  it('is written whole by a caller that does not keep the input beside it', async () => {
    const photo = noisyJpeg(160, 120);
    const input = join(dir, 'photo.jpg');
    writeFileSync(input, photo);
    const report = await sanitizer.sanitizeFile(
      { path: input, bytes: photo.length, sha256: sha256(photo) },
      join(dir, 'photo.rebuilt'),
    );
    expect(report.output!.keptFromInput).toBeUndefined();
    expect(sha256(readFileSync(join(dir, 'photo.rebuilt')))).toBe(report.output!.sha256);
  });

  it('is written whole when its coefficients were turned (no byte of its scan is the original’s)', async () => {
    const { report, place } = await receive(exifGpsZipJpeg(6));
    expect(report.actions.join()).toMatch(/orientation 6 to the coefficients/);
    expect(report.output!.keptFromInput).toBeUndefined();
    expect(sizeOf(uploadFileKey(place, 'rebuilt'))).toBe(report.output!.bytes);
  });
});
