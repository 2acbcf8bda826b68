/**
 * Files kept beside a zone's database, in a directory of its own. PostgreSQL stores a 1 MB
 * bytea as ~500 TOAST rows, each with its index entry and its WAL: ~20 ms of the server's
 * CPU a megabyte on the AMD bench host, where `put` takes ~3 ms of wall time, its fsyncs
 * included. A row keeps what the file is (its hash, its state); the bytes are here.
 *
 * `put` answers once the file is durable (written, fsynced, renamed into place and its
 * directory fsynced), so a row committed after it never names a file a crash lost; a file is
 * never seen half written, as it appears by a rename. Several files that belong together are
 * `write`n (or `stage`d, for another process to write) under temporary names and then
 * `commit`ted together: each fsynced, renamed into place, each folder fsynced once.
 *
 * Opening, closing and renaming are made in place (synchronous calls): on a local disk they
 * return in microseconds, and a call through libuv's thread pool costs two thread switches
 * besides. On the AMD bench host an open, close or rename took ~10 µs of CPU in place and
 * ~55 µs through the pool, and a photo filing made ~20 such calls in the two zones. What waits
 * for the disk (fsync) or moves the bytes (reads, writes) still goes to the pool.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, type Dirent, fstatSync, fsync, openSync, read, renameSync, writev } from 'node:fs';
import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';

const fsyncFd = promisify(fsync);
const readFd = promisify(read);
const writevFd = promisify(writev);

/** Folders and a file name of letters, digits, '-', '_' and '.', none of them only dots. */
const KEY = /^(?:[a-z0-9_-][a-z0-9._-]*\/)*[a-z0-9_-][a-z0-9._-]*$/i;
/** What `put` writes first: a file of this ending was cut short by a crash. */
export const TEMPORARY_SUFFIX = '.tmp';

export interface StoredFile {
  readonly key: string;
  readonly modifiedAt: Date;
}

/** A file under its temporary name, in its key's folder, until `commit` puts it in place. */
export interface StagedFile {
  readonly key: string;
  /** The temporary file's path: for a process that writes it (a sanitizer worker). */
  readonly path: string;
}

export class FileStore {
  /** Folders known to exist (made, and their making made durable). */
  private readonly made = new Set<string>();

  constructor(readonly dir: string) {}

  private pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error(`not a file key: ${key}`);
    return join(this.dir, key);
  }

  /** Writes the file whole (its bytes, or pieces that follow one another) and commits it. */
  async put(key: string, bytes: Uint8Array | readonly Uint8Array[]): Promise<void> {
    const staged = await this.write(key, bytes);
    try {
      await this.commit([staged]);
    } catch (error) {
      await this.discard([staged]);
      throw error;
    }
  }

  /** A temporary name for `key` (its folder made), nothing written yet: `commit` or `discard` it. */
  async stage(key: string): Promise<StagedFile> {
    if (key.endsWith(TEMPORARY_SUFFIX)) throw new Error(`not a file key: ${key}`);
    const path = this.pathOf(key);
    await this.makeFolder(dirname(path));
    return { key, path: `${path}.${randomUUID()}${TEMPORARY_SUFFIX}` };
  }

  /**
   * Writes `source` (bytes, pieces of them, or chunks as they come, such as a request's body)
   * under a temporary name for `key`; answers how many bytes it wrote. A source that fails
   * leaves nothing behind.
   */
  async write(
    key: string,
    source: Uint8Array | readonly Uint8Array[] | AsyncIterable<Uint8Array>,
  ): Promise<StagedFile & { readonly bytes: number }> {
    const staged = await this.stage(key);
    let bytes = 0;
    try {
      const fd = openSync(staged.path, 'wx', 0o600);
      try {
        if (source instanceof Uint8Array || Array.isArray(source)) {
          const pieces: readonly Uint8Array[] = source instanceof Uint8Array ? [source] : source;
          await writeAll(fd, pieces);
          bytes = pieces.reduce((sum, piece) => sum + piece.length, 0);
        } else {
          // A request's body comes in chunks of 16–64 KB: written a few hundred KB at a time.
          let pending: Uint8Array[] = [];
          let pendingBytes = 0;
          for await (const chunk of source as AsyncIterable<Uint8Array>) {
            pending.push(chunk);
            pendingBytes += chunk.length;
            if (pendingBytes >= WRITE_AT_ONCE) {
              await writeAll(fd, pending);
              bytes += pendingBytes;
              pending = [];
              pendingBytes = 0;
            }
          }
          await writeAll(fd, pending);
          bytes += pendingBytes;
        }
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      await this.discard([staged]);
      throw error;
    }
    return { ...staged, bytes };
  }

  /** Puts staged files in place durably: each fsynced and renamed, then each folder fsynced once. */
  async commit(files: readonly StagedFile[]): Promise<void> {
    const places = files.map((file) => {
      const path = this.pathOf(file.key);
      if (!file.path.startsWith(`${path}.`) || !file.path.endsWith(TEMPORARY_SUFFIX)) {
        throw new Error(`not a staged file of ${file.key}`);
      }
      return path;
    });
    await Promise.all(files.map(({ path }) => syncFile(path, 'r+')));
    for (const [index, file] of files.entries()) renameSync(file.path, places[index]!);
    await Promise.all(
      [...new Set(places.map((path) => dirname(path)))].map((folder) => syncFile(folder, 'r')),
    );
  }

  /** Removes staged files (written or not); nothing to remove is no error. */
  async discard(files: readonly StagedFile[]): Promise<void> {
    await Promise.all(
      files.map(({ path }) =>
        unlink(path).catch((error: unknown) => {
          if (!isMissing(error)) throw error;
        }),
      ),
    );
  }

  /** The file's bytes; undefined if there is none. */
  async get(key: string): Promise<Uint8Array | undefined> {
    const fd = openToRead(this.pathOf(key));
    if (fd === undefined) return undefined;
    try {
      // A kept file is never written again (it appears whole, by a rename): its size holds.
      const bytes = Buffer.allocUnsafe(fstatSync(fd).size);
      return bytes.subarray(0, await readFully(fd, 0, bytes));
    } finally {
      closeSync(fd);
    }
  }

  /** Fills `target` with the file's bytes from `position`; false if there is no file or too short a one. */
  async readInto(key: string, position: number, target: Uint8Array): Promise<boolean> {
    const fd = openToRead(this.pathOf(key));
    if (fd === undefined) return false;
    try {
      return (await readFully(fd, position, target)) === target.length;
    } finally {
      closeSync(fd);
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
    const path = this.folderPath(folder);
    const files: StoredFile[] = [];
    for (const { name } of await this.entries(folder)) {
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

  /** The names of a folder's folders; none if the folder does not exist. */
  async folders(folder: string): Promise<string[]> {
    return (await this.entries(folder)).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  }

  private folderPath(folder: string): string {
    return folder === '' ? this.dir : this.pathOf(folder);
  }

  /** What a folder holds; nothing if the folder does not exist. */
  private async entries(folder: string): Promise<Dirent[]> {
    try {
      return await readdir(this.folderPath(folder), { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  /** Makes the folder and any parent missing, each made durable in its own parent. */
  private async makeFolder(folder: string): Promise<void> {
    if (this.made.has(folder)) return;
    const first = await mkdir(folder, { recursive: true, mode: 0o700 });
    if (first) {
      for (let made = folder; ; made = dirname(made)) {
        await syncFile(dirname(made), 'r');
        if (made === first) break;
      }
    }
    this.made.add(folder);
  }
}

const WRITE_AT_ONCE = 256 * 1024;

/** Writes the pieces in order, however many writes it takes. */
async function writeAll(fd: number, pieces: readonly Uint8Array[]): Promise<void> {
  let left = pieces;
  while (left.length > 0) {
    let { bytesWritten } = await writevFd(fd, left as Uint8Array[]);
    while (left.length > 0 && bytesWritten >= left[0]!.length) {
      bytesWritten -= left[0]!.length;
      left = left.slice(1);
    }
    if (bytesWritten > 0) left = [left[0]!.subarray(bytesWritten), ...left.slice(1)];
  }
}

/** Reads into `target` from `position` until it is full or the file ends; answers how many bytes came. */
async function readFully(fd: number, position: number, target: Uint8Array): Promise<number> {
  let done = 0;
  while (done < target.length) {
    const { bytesRead } = await readFd(fd, target, done, target.length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

/** The file opened for reading, or undefined if there is none. */
function openToRead(path: string): number | undefined {
  try {
    return openSync(path, 'r');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** fsync of a file (opened for writing) or a folder (for reading). */
async function syncFile(path: string, flags: 'r' | 'r+'): Promise<void> {
  const fd = openSync(path, flags);
  try {
    await fsyncFd(fd);
  } finally {
    closeSync(fd);
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}
