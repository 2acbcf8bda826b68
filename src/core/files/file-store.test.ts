import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore, TEMPORARY_SUFFIX } from './file-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'machi-file-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const store = new FileStore(dir);
const bytes = (text: string) => new TextEncoder().encode(text);

describe('FileStore', () => {
  it('keeps a file under its key, in folders it makes, readable only by its owner', async () => {
    await store.put('uploads/131016/2026-12-01/a.original', bytes('first'));
    expect(Buffer.from((await store.get('uploads/131016/2026-12-01/a.original'))!).toString()).toBe('first');
    expect(statSync(join(dir, 'uploads/131016/2026-12-01/a.original')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'uploads/131016')).mode & 0o777).toBe(0o700);
    // Written again: replaced whole, and no temporary file stays behind.
    await store.put('uploads/131016/2026-12-01/a.original', bytes('second'));
    expect(Buffer.from((await store.get('uploads/131016/2026-12-01/a.original'))!).toString()).toBe('second');
    expect(readdirSync(join(dir, 'uploads/131016/2026-12-01'))).toEqual(['a.original']);
  });

  it('answers undefined for a file it does not have, and removes one twice without error', async () => {
    expect(await store.get('uploads/none')).toBeUndefined();
    await store.put('b', bytes('x'));
    await store.remove('b');
    await store.remove('b');
    expect(await store.get('b')).toBeUndefined();
  });

  it('reads part of a file into place, and says so when the file is missing or too short', async () => {
    await store.put('part/a', bytes('0123456789'));
    const target = new Uint8Array(4);
    expect(await store.readInto('part/a', 3, target)).toBe(true);
    expect(Buffer.from(target).toString()).toBe('3456');
    expect(await store.readInto('part/a', 7, new Uint8Array(4))).toBe(false);
    expect(await store.readInto('part/none', 0, new Uint8Array(1))).toBe(false);
  });

  it('lists the files of a folder with their times, and none of a folder that is not there', async () => {
    await store.put('list/one', bytes('1'));
    await store.put('list/two', bytes('2'));
    await store.put('list/deeper/three', bytes('3'));
    const listed = await store.list('list');
    expect(listed.map((file) => file.key).sort()).toEqual(['list/one', 'list/two']);
    expect(listed[0]!.modifiedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await store.list('nothing/here')).toEqual([]);
    expect(await store.folders('list')).toEqual(['deeper']);
    expect(await store.folders('nothing/here')).toEqual([]);
  });

  it('refuses a key that could leave its directory, and one named as its temporary files are', async () => {
    for (const key of ['../out', 'a/../../out', '/etc/passwd', 'a//b', '', '.', 'a/..', 'a b']) {
      await expect(store.put(key, bytes('x')), key).rejects.toThrow(/not a file key/);
      await expect(store.get(key), key).rejects.toThrow(/not a file key/);
    }
    await expect(store.put(`c${TEMPORARY_SUFFIX}`, bytes('x'))).rejects.toThrow(/not a file key/);
  });

  it('writes files under temporary names, and puts them in place together when committed', async () => {
    async function* chunks() {
      yield bytes('in ');
      yield bytes('chunks');
    }
    const written = await store.write('staged/a.original', chunks());
    expect(written.bytes).toBe(9);
    const other = await store.stage('staged/a.rebuilt');
    // Another process writes the staged one (a sanitizer worker does).
    writeFileSync(other.path, 'by another');
    expect(await store.get('staged/a.original')).toBeUndefined();
    await store.commit([written, other]);
    expect(Buffer.from((await store.get('staged/a.original'))!).toString()).toBe('in chunks');
    expect(Buffer.from((await store.get('staged/a.rebuilt'))!).toString()).toBe('by another');
    expect(readdirSync(join(dir, 'staged')).sort()).toEqual(['a.original', 'a.rebuilt']);
    // Only a staged file of its key is committed: no file from elsewhere moves in.
    await expect(store.commit([{ key: 'staged/b', path: join(dir, 'elsewhere.tmp') }])).rejects.toThrow(
      /not a staged file/,
    );
  });

  it('writes a long run of chunks whole and in order', async () => {
    const chunks = Array.from({ length: 40 }, (_, i) => new Uint8Array(20_000 + i).fill(i));
    async function* source() {
      yield* chunks;
    }
    const written = await store.write('long/a', source());
    await store.commit([written]);
    expect(written.bytes).toBe(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
    expect(Buffer.from((await store.get('long/a'))!).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('leaves nothing behind when a source fails, or when staged files are discarded', async () => {
    async function* failing() {
      yield bytes('half');
      throw new Error('the client went away');
    }
    await expect(store.write('failed/a', failing())).rejects.toThrow(/went away/);
    const staged = await store.write('failed/b', bytes('x'));
    const unwritten = await store.stage('failed/c');
    await store.discard([staged, unwritten]);
    expect(readdirSync(join(dir, 'failed'))).toEqual([]);
  });
});
