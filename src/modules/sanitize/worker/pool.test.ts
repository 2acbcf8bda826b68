import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { afterAll, describe, expect, it } from 'vitest';
import { exifTiff, jpegSegment, noisyJpeg, withSegments } from '../image/test-corpus.ts';
import { DEFAULT_LIMITS, type SanitizeOptions } from '../types.ts';
import { createWorkerPool } from './pool.ts';

const pool = createWorkerPool({ size: 2, memoryMb: 512 });
afterAll(() => pool.close());
const options: SanitizeOptions = { limits: DEFAULT_LIMITS, pdfMode: 'rebuild', allowArchives: false };
const csv = new TextEncoder().encode('a,b\n=1+1,2\n');

describe('sanitizer worker pool', () => {
  it('runs files in worker processes, several at once', async () => {
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => pool.run(csv, options)));
    for (const outcome of outcomes) expect(outcome).toMatchObject({ kind: 'rebuilt', type: 'csv' });
    expect(pool.pids().length).toBeLessThanOrEqual(2);
    expect(pool.pids()).not.toContain(process.pid);
  });

  it('tells the time a file waited for a worker from the time its worker took', async () => {
    const one = createWorkerPool({ size: 1, memoryMb: 512 });
    try {
      const big = new TextEncoder().encode('a,b\n'.repeat(2_000_000));
      // The first file waits for the worker to start; the second for the first file too.
      const [first, second] = await Promise.all([one.run(big, options), one.run(csv, options)]);
      expect(first).toMatchObject({ kind: 'rebuilt' });
      expect(second.waitedMs).toBeGreaterThanOrEqual(first.workedMs);
      expect(second.workedMs).toBeLessThan(first.workedMs);
    } finally {
      await one.close();
    }
  });

  it('starts its workers before any file, and replaces one that died', async () => {
    const two = createWorkerPool({ size: 2, memoryMb: 512 });
    try {
      await two.startAll();
      const started = two.pids();
      expect(started).toHaveLength(2);
      // Files then go to the workers that are ready, none of them started for a file.
      const outcomes = await Promise.all([1, 2, 3].map(() => two.run(csv, options)));
      for (const outcome of outcomes) expect(outcome).toMatchObject({ kind: 'rebuilt', type: 'csv' });
      expect(two.pids().sort()).toEqual([...started].sort());
      const dead = started[0]!;
      process.kill(dead, 'SIGKILL');
      await expect.poll(() => two.pids()).toHaveLength(1);
      await two.startAll();
      expect(two.pids()).toHaveLength(2);
      expect(two.pids()).not.toContain(dead);
      expect(two.pids()).toContain(started[1]);
      expect(await two.run(csv, options)).toMatchObject({ kind: 'rebuilt' });
    } finally {
      await two.close();
    }
    // A closed pool starts none.
    await two.startAll();
    expect(two.pids()).toHaveLength(0);
  });

  it('reads each file into one kept buffer and rebuilds it as it would alone', async () => {
    const one = createWorkerPool({ size: 1, memoryMb: 512 });
    const dir = mkdtempSync(join(tmpdir(), 'machi-pool-'));
    try {
      // A large JPEG, then smaller files in the buffer it left: a CSV (read by a type that gets
      // an array of its own), a smaller JPEG (read in place), then the first again.
      const files = { big: noisyJpeg(256, 192, 95), csv, small: noisyJpeg(48, 32, 80) };
      const run = async (name: keyof typeof files) => {
        writeFileSync(join(dir, name), files[name]);
        const outcome = await one.run({ path: join(dir, name) }, options, join(dir, `${name}.out`));
        expect(outcome.kind, name).toBe('rebuilt');
        return readFileSync(join(dir, `${name}.out`));
      };
      const first = await run('big');
      expect((await run('csv')).toString()).toBe('a,b\r\n"\'=1+1",2\r\n');
      const small = await run('small');
      // The same file sent whole to another worker (never read into a kept buffer).
      const alone = await pool.run(files.small, options);
      expect(alone.kind === 'rebuilt' && Buffer.from(alone.output as Uint8Array).equals(small)).toBe(true);
      expect((await run('big')).equals(first)).toBe(true);
      expect(small.length).toBeLessThan(first.length);
    } finally {
      await one.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes a file where it lies and writes the rebuilt file where it is told, sending neither back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'machi-pool-'));
    try {
      const [input, output] = [join(dir, 'in'), join(dir, 'out')];
      writeFileSync(input, csv);
      const outcome = await pool.run({ path: input }, options, output);
      expect(outcome).toMatchObject({ kind: 'rebuilt', type: 'csv' });
      const written = readFileSync(output);
      expect(written.toString()).toContain(`"'=1+1"`);
      expect(outcome.kind === 'rebuilt' && outcome.output).toEqual({
        bytes: written.length,
        sha256: createHash('sha256').update(written).digest('hex'),
      });
      // A file over the size limit is refused before it is read; one that is not there fails.
      const small = { ...options, limits: { ...DEFAULT_LIMITS, maxBytes: 4 } };
      expect(await pool.run({ path: input }, small, join(dir, 'none'))).toMatchObject({
        kind: 'refused',
        reason: 'too-large',
      });
      expect(existsSync(join(dir, 'none'))).toBe(false);
      expect(await pool.run({ path: join(dir, 'missing') }, options, output)).toMatchObject({
        kind: 'failed',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes refusals back with their reason', async () => {
    const outcome = await pool.run(new Uint8Array([0x4d, 0x5a, 0x90, 0]), options);
    expect(outcome).toMatchObject({ kind: 'refused', type: 'executable', reason: 'type-not-allowed' });
  });

  it('kills a worker that runs past the time limit, and the next file is served', async () => {
    const big = new TextEncoder().encode('a,b\n'.repeat(2_000_000));
    const outcome = await pool.run(big, { ...options, limits: { ...DEFAULT_LIMITS, timeMs: 20 } });
    expect(outcome).toMatchObject({ kind: 'killed', reason: 'timeout' });
    expect(await pool.run(csv, options)).toMatchObject({ kind: 'rebuilt' });
  });

  it('reports a worker that dies under a file as crashed, and starts another', async () => {
    const big = new TextEncoder().encode('a,b\n'.repeat(2_000_000));
    const running = pool.run(big, options);
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const pid of pool.pids()) process.kill(pid, 'SIGSEGV');
    expect(await running).toMatchObject({ kind: 'killed', reason: 'worker-crashed' });
    expect(await pool.run(csv, options)).toMatchObject({ kind: 'rebuilt' });
  });
});

describe('a worker under its memory limit', () => {
  it('refuses a file that needs more memory than the limit, and stays within it', async () => {
    const small = createWorkerPool({ size: 1, memoryMb: 300 });
    try {
      // 120 MB of text is 240 MB as a string, and more again as lines: over 300 MB.
      const huge = new Uint8Array(120 * 1024 * 1024).fill(0x61);
      for (let i = 100; i < huge.length; i += 100) huge[i] = 0x0a;
      const outcome = await small.run(huge, {
        ...options,
        limits: { ...DEFAULT_LIMITS, maxBytes: huge.length, memoryMb: 300 },
      });
      // Usually told apart as the memory limit; a native fault before any sample of the memory
      // came near it reads as a crash. Either way the file is refused and nothing else is hurt.
      expect(outcome).toMatchObject({ kind: 'killed' });
      expect(['memory-limit', 'worker-crashed']).toContain((outcome as { reason: string }).reason);
      // A new worker takes the next file.
      expect(await small.run(csv, options)).toMatchObject({ kind: 'rebuilt' });
    } finally {
      await small.close();
    }
  });

  it('refuses a photo whose turned pixels do not fit, never failing', async () => {
    const small = createWorkerPool({ size: 1, memoryMb: 300 });
    try {
      // 5000 × 5000 is 100 MB of pixels a canvas; turned by EXIF (5000 is no whole number of
      // MCUs, so the turn is drawn), the decoded image and the turned canvas pass 300 MB.
      const canvas = createCanvas(5000, 5000);
      const context = canvas.getContext('2d');
      context.fillStyle = '#8a6';
      context.fillRect(0, 0, 5000, 5000);
      const exif = Buffer.concat([
        Buffer.from('Exif\0\0', 'latin1'),
        exifTiff({ orientation: 6, gps: false }),
      ]);
      const photo = withSegments(canvas.encodeSync('jpeg', 90), jpegSegment(0xe1, exif));
      const limits = { ...DEFAULT_LIMITS, memoryMb: 300 };
      const outcome = await small.run(photo, { ...options, limits });
      // Which allocation fails first varies with the heap: the turned canvas (refused as the
      // memory limit), the worker's sampled memory (killed, the same reason), or Skia's decoder,
      // which then cannot tell it from a bad file (refused as malformed). Never a failure.
      expect(['refused', 'killed']).toContain(outcome.kind);
      if (outcome.kind === 'killed') expect(outcome.reason).toBe('memory-limit');
    } finally {
      await small.close();
    }
  });
});
