// A sanitizer worker: a process of its own, started by the pool with a data-size limit
// (RLIMIT_DATA), handling one file at a time. Whatever a hostile file does to the parsers
// here — a hang, a bomb, a crash in native code — costs this process, not a zone.
import { checkSize, detectFileType, rebuildFile } from '../sanitize-bytes.ts';
import { type DetectedType, isRefusal } from '../types.ts';
import type { DetectedMessage, JobMessage, ReadyMessage, ResultMessage } from './messages.ts';

function reply(message: ResultMessage | ReadyMessage | DetectedMessage): void {
  process.send?.(message);
}

async function handle(job: JobMessage): Promise<ResultMessage> {
  let type: DetectedType | undefined;
  try {
    // The structured clone already made a Uint8Array: no second copy of a large file.
    const input = job.input instanceof Uint8Array ? job.input : new Uint8Array(job.input);
    checkSize(input, job.options);
    type = detectFileType(input, job.options.limits);
    reply({ id: job.id, kind: 'detected', type });
    const rebuilt = await rebuildFile(type, input, job.options);
    return { id: job.id, kind: 'rebuilt', type, rebuilt };
  } catch (error) {
    if (isRefusal(error))
      return { id: job.id, kind: 'refused', type, reason: error.reason, message: error.message };
    // V8 throws this when RLIMIT_DATA refuses a large ArrayBuffer: the file asked for too much.
    if (error instanceof RangeError && /allocation failed/i.test(error.message)) {
      const message = `The file needs more than the ${job.options.limits.memoryMb} MB a file may use.`;
      return { id: job.id, kind: 'refused', type, reason: 'memory-limit', message };
    }
    return { id: job.id, kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

process.on('message', (job: JobMessage) => {
  void handle(job).then(reply);
});
process.on('disconnect', () => process.exit(0));
reply({ kind: 'ready' });
