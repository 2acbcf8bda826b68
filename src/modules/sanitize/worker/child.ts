// A sanitizer worker: a process of its own, started by the pool with a data-size limit
// (RLIMIT_DATA), handling one file at a time. Whatever a hostile file does to the parsers
// here — a hang, a bomb, a crash in native code — costs this process, not a zone.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, writeFileSync } from 'node:fs';
import { checkSize, detectFileType, rebuildFile } from '../sanitize-bytes.ts';
import { type DetectedType, isRefusal, type KeptBytes, type Rebuilt } from '../types.ts';
import type { DetectedMessage, JobMessage, ReadyMessage, ResultMessage, WrittenOutput } from './messages.ts';

function reply(message: ResultMessage | ReadyMessage | DetectedMessage): void {
  process.send?.(message);
}

/** Files up to this size are read into one buffer kept from job to job; larger ones get their own. */
const KEPT_INPUT_BYTES = 16 * 1024 * 1024;
let inputRoom = Buffer.alloc(0);
/** Jobs being handled: the pool sends one at a time, and the kept buffer serves only then. */
let handling = 0;

/**
 * Room for a file of `size` bytes. A fresh buffer for every file counted towards V8's external
 * memory, and with the rebuilt file and the decoder's arrays started a full collection every
 * few photos; the rebuilt file is written before the job ends, so nothing outlives it.
 */
function inputBuffer(size: number): Buffer {
  if (size > KEPT_INPUT_BYTES || handling > 1) return Buffer.allocUnsafe(size);
  if (inputRoom.length < size) inputRoom = Buffer.allocUnsafe(Math.min(KEPT_INPUT_BYTES, size * 2));
  return inputRoom;
}

/** Types whose every reader is ours and keeps to a view's bounds (jpeg-scan, jpeg-baseline). */
const READ_IN_PLACE: ReadonlySet<DetectedType> = new Set(['jpeg']);

/**
 * The input as the sanitizer of `type` may read it. The kept buffer holds the tail of an
 * earlier file (another resident's) past this one's end, and a library may read a view's whole
 * ArrayBuffer: a type read by a library gets an array of its own.
 */
function readableBy(type: DetectedType, input: Uint8Array): Uint8Array {
  return input.buffer === inputRoom.buffer && !READ_IN_PLACE.has(type) ? new Uint8Array(input) : input;
}

// Files are read and written with synchronous calls: this process has one job at a time and
// nothing to do meanwhile, and each call through libuv's thread pool cost ~45 µs of CPU more
// (two thread switches) on the AMD bench host.

/** The job's file: cloned into this process already, or read from where it lies. */
function inputOf(job: JobMessage): Uint8Array {
  if (job.input instanceof Uint8Array) return job.input;
  const fd = openSync(job.input.path, 'r');
  try {
    const { size } = fstatSync(fd);
    // Its size before its bytes: a file over the limit is refused unread.
    checkSize({ length: size }, job.options);
    const buffer = inputBuffer(size);
    let read = 0;
    while (read < size) {
      const bytesRead = readSync(fd, buffer, read, size - read, read);
      if (bytesRead === 0) throw new Error('The file became shorter while it was read.');
      read += bytesRead;
    }
    return buffer.subarray(0, size);
  } finally {
    closeSync(fd);
  }
}

/**
 * The rebuilt file where the job wants it: written here (the parent makes it durable), or sent
 * back. Bytes it shares with the input file (checked) are not written again if the job allows:
 * on the bench host, a new megabyte in the page cache cost the kernel 0.6 ms, ~3 ms under load.
 */
function outputOf(
  job: JobMessage,
  input: Uint8Array,
  { output, keptFromInput: kept }: Rebuilt,
): Uint8Array | WrittenOutput {
  if (job.outputPath === undefined) return output;
  const sha256 = createHash('sha256').update(output).digest('hex');
  if (kept && job.leaveOutInput && !(job.input instanceof Uint8Array) && sameBytes(output, input, kept)) {
    const head = output.subarray(0, kept.at);
    const tail = output.subarray(kept.at + kept.length);
    writeFileSync(job.outputPath, Buffer.concat([head, tail]), { mode: 0o600 });
    return { bytes: output.length, sha256, keptFromInput: kept };
  }
  writeFileSync(job.outputPath, output, { mode: 0o600 });
  return { bytes: output.length, sha256 };
}

function sameBytes(output: Uint8Array, input: Uint8Array, { at, from, length }: KeptBytes): boolean {
  if (at + length > output.length || from + length > input.length) return false;
  return Buffer.from(output.buffer, output.byteOffset + at, length).equals(
    Buffer.from(input.buffer, input.byteOffset + from, length),
  );
}

async function handle(job: JobMessage): Promise<ResultMessage> {
  let type: DetectedType | undefined;
  handling++;
  try {
    const input = inputOf(job);
    checkSize(input, job.options);
    type = detectFileType(input, job.options.limits);
    reply({ id: job.id, kind: 'detected', type });
    const result = await rebuildFile(type, readableBy(type, input), job.options);
    const { output: _output, keptFromInput: _kept, ...rebuilt } = result;
    return { id: job.id, kind: 'rebuilt', type, rebuilt, output: outputOf(job, input, result) };
  } catch (error) {
    if (isRefusal(error))
      return { id: job.id, kind: 'refused', type, reason: error.reason, message: error.message };
    // V8 throws this when RLIMIT_DATA refuses a large ArrayBuffer: the file asked for too much.
    if (error instanceof RangeError && /allocation failed/i.test(error.message)) {
      const message = `The file needs more than the ${job.options.limits.memoryMb} MB a file may use.`;
      return { id: job.id, kind: 'refused', type, reason: 'memory-limit', message };
    }
    return { id: job.id, kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  } finally {
    handling--;
  }
}

process.on('message', (job: JobMessage) => {
  void handle(job).then(reply);
});
process.on('disconnect', () => process.exit(0));
reply({ kind: 'ready' });
