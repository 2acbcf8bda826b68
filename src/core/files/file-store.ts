/**
 * Files kept beside a zone's database, in a directory of its own. PostgreSQL stores a 1 MB
 * bytea as ~500 TOAST rows, each with its index entry and its WAL: ~20 ms of the server's
 * CPU a megabyte on the AMD bench host, where `put` takes ~3 ms of wall time, its fsyncs
 * included. A row keeps what the file is (its hash, its state); the bytes are here.
 *
 * `put` answers once the file is durable (written, fsynced, renamed into place and its
 * directory fsynced), so a row committed after it never names a file a crash lost; a file is
 * never seen half written, as it appears by a rename.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

/** Folders and a file name of letters, digits, '-', '_' and '.', none of them only dots. */
const KEY = /^(?:[a-z0-9_-][a-z0-9._-]*\/)*[a-z0-9_-][a-z0-9._-]*$/i;
/** What `put` writes first: a file of this ending was cut short by a crash. */
export const TEMPORARY_SUFFIX = '.tmp';

export interface StoredFile {
  readonly key: string;
  readonly modifiedAt: Date;
}

export class FileStore {
  /** Folders known to exist (made, and their making made durable). */
  private readonly made = new Set<string>();

  constructor(readonly dir: string) {}

  private pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error(`not a file key: ${key}`);
    return join(this.dir, key);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    if (key.endsWith(TEMPORARY_SUFFIX)) throw new Error(`not a file key: ${key}`);
    const path = this.pathOf(key);
    const folder = dirname(path);
    await this.makeFolder(folder);
    const temporary = `${path}.${randomUUID()}${TEMPORARY_SUFFIX}`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
    await syncFolder(folder);
  }

  /** The file's bytes; undefined if there is none. */
  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** Removes the file (a temporary one too); one already gone is no error (a retry after a crash). */
  async remove(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  /**
   * The files in a folder (not in its folders), temporary ones of `put` included (their keys
   * end in TEMPORARY_SUFFIX); none if the folder does not exist.
   */
  async list(folder: string): Promise<StoredFile[]> {
    const path = folder === '' ? this.dir : this.pathOf(folder);
    let names: string[];
    try {
      names = await readdir(path);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    const files: StoredFile[] = [];
    for (const name of names) {
      const info = await stat(join(path, name)).catch((error: unknown) => {
        if (isMissing(error)) return undefined;
        throw error;
      });
      if (info?.isFile()) {
        files.push({
          key: relative(this.dir, join(path, name)).split(sep).join('/'),
          modifiedAt: info.mtime,
        });
      }
    }
    return files;
  }

  /** Makes the folder and any parent missing, each made durable in its own parent. */
  private async makeFolder(folder: string): Promise<void> {
    if (this.made.has(folder)) return;
    const first = await mkdir(folder, { recursive: true, mode: 0o700 });
    if (first) {
      for (let made = folder; ; made = dirname(made)) {
        await syncFolder(dirname(made));
        if (made === first) break;
      }
    }
    this.made.add(folder);
  }
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}
