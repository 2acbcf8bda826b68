// `npm run bench sanitize`: the sanitizer's speed on files made here, against the same work
// by other tools in the same run:
// - PDF rebuild (pages rendered at 150 dpi, reassembled with a text layer), pages per second,
//   one worker, against `mutool draw` rendering the same files at 150 dpi to PNG (Debian's
//   mupdf-tools, a separate program, AGPL, used only here); target ≥ 0.5× of it;
// - 12-megapixel JPEG rebuilds per second, one worker (a lossless rewrite of the DCT
//   coefficients), against decoding and encoding the same photos with the raw library (Skia
//   via @napi-rs/canvas) in one process, which is what the sanitizer did before, and against
//   `jpegtran -copy none -optimize` (Debian's libjpeg-turbo-progs), the same lossless rewrite in C;
// - the worker's peak resident memory (VmHWM), and output size against input size.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { createSanitizer, type Sanitizer } from '../../src/modules/sanitize/index.ts';
import type { BenchScenario } from '../run.ts';
import { photoJpeg, scanPdf, textPdf } from '../support/sanitize-samples.ts';

const DPI = 150;

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - started) / 1000 };
}

async function rebuildPages(sanitizer: Sanitizer, files: Uint8Array[], pagesEach: number) {
  let inBytes = 0;
  let outBytes = 0;
  const { seconds } = await timed(async () => {
    for (const file of files) {
      const { report } = await sanitizer.sanitize(file);
      if (report.outcome !== 'rebuilt') throw new Error(`refused: ${report.refusal?.message}`);
      inBytes += report.input.bytes;
      outBytes += report.output!.bytes;
    }
  });
  const pages = files.length * pagesEach;
  return {
    pages,
    seconds: +seconds.toFixed(2),
    pagesPerSecond: +(pages / seconds).toFixed(2),
    outputToInput: +(outBytes / inBytes).toFixed(2),
  };
}

/** `mutool draw` of the same files at the same resolution, one process per file. */
function mutoolPages(dir: string, files: Uint8Array[], pagesEach: number) {
  const paths = files.map((file, i) => {
    const path = join(dir, `in-${i}.pdf`);
    writeFileSync(path, file);
    return path;
  });
  const started = performance.now();
  for (const path of paths) {
    execFileSync('mutool', ['draw', '-q', '-r', String(DPI), '-o', join(dir, 'page-%d.png'), path], {
      stdio: 'ignore',
    });
  }
  const seconds = (performance.now() - started) / 1000;
  const pages = files.length * pagesEach;
  return { pages, seconds: +seconds.toFixed(2), pagesPerSecond: +(pages / seconds).toFixed(2) };
}

async function rawReencodes(photos: Uint8Array[]) {
  const { seconds } = await timed(async () => {
    for (const photo of photos) {
      const image = await loadImage(Buffer.from(photo));
      const canvas = createCanvas(image.width, image.height);
      canvas.getContext('2d').drawImage(image, 0, 0);
      await canvas.encode('jpeg', 90);
    }
  });
  return {
    photos: photos.length,
    seconds: +seconds.toFixed(2),
    perSecond: +(photos.length / seconds).toFixed(2),
  };
}

/** `jpegtran -copy none -optimize` of the same photos, one process per photo; output bytes too. */
function jpegtranPhotos(dir: string, photos: Uint8Array[]) {
  const paths = photos.map((photo, i) => {
    const path = join(dir, `photo-${i}.jpg`);
    writeFileSync(path, photo);
    return path;
  });
  let outBytes = 0;
  const started = performance.now();
  for (const path of paths) {
    const out = execFileSync('jpegtran', ['-copy', 'none', '-optimize', path], { maxBuffer: 1 << 28 });
    outBytes += out.length;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    photos: photos.length,
    seconds: +seconds.toFixed(2),
    perSecond: +(photos.length / seconds).toFixed(2),
    outBytes,
  };
}

export const scenario: BenchScenario = {
  description:
    'Sanitizer: PDF rebuild pages/s vs mutool draw at 150 dpi (target ≥ 0.5×), 12 MP JPEG rebuilds/s vs raw Skia and jpegtran, worker peak RSS',
  async run() {
    const hasMutool = spawnSync('mutool', ['-v']).error === undefined;
    const hasJpegtran = spawnSync('jpegtran', ['-v'], { input: '' }).error === undefined;
    const dir = mkdtempSync(join(tmpdir(), 'machi-bench-sanitize-'));
    const sanitizer = createSanitizer({ workers: 1 });
    try {
      const texts = await Promise.all([1, 2, 3].map(() => textPdf(10)));
      const scans = await Promise.all([1, 2].map(() => scanPdf(5)));
      const photos = [1, 2, 3, 4, 5].map((seed) => photoJpeg(seed));
      // The worker's start (Node, pdf.js, Skia) is not what is measured.
      await sanitizer.sanitize(await textPdf(1));

      const text = await rebuildPages(sanitizer, texts, 10);
      const scan = await rebuildPages(sanitizer, scans, 5);
      const jpeg = await timed(async () => {
        let outBytes = 0;
        for (const photo of photos) outBytes += (await sanitizer.sanitize(photo)).report.output?.bytes ?? 0;
        return outBytes;
      });
      const peak = sanitizer.workerPeakRssMb();

      const mutool = hasMutool
        ? { text: mutoolPages(dir, texts, 10), scan: mutoolPages(dir, scans, 5) }
        : undefined;
      const raw = await rawReencodes(photos);
      const jpegtran = hasJpegtran ? jpegtranPhotos(dir, photos) : undefined;
      const jpegPerSecond = +(photos.length / jpeg.seconds).toFixed(2);
      const photoBytes = photos.reduce((sum, photo) => sum + photo.length, 0);
      return {
        pdfRebuild: {
          dpi: DPI,
          text,
          scan,
          baselineMutoolDraw: mutool ?? 'mutool not installed (apt-get install mupdf-tools)',
          ratioToMutool: mutool
            ? {
                text: +(text.pagesPerSecond / mutool.text.pagesPerSecond).toFixed(2),
                scan: +(scan.pagesPerSecond / mutool.scan.pagesPerSecond).toFixed(2),
                target: 0.5,
              }
            : null,
        },
        jpeg12Mp: {
          photos: photos.length,
          perSecond: jpegPerSecond,
          outputToInput: +(jpeg.result / photoBytes).toFixed(2),
          baselineRawSkia: raw,
          ratioToRaw: +(jpegPerSecond / raw.perSecond).toFixed(2),
          baselineJpegtran: jpegtran ?? 'jpegtran not installed (apt-get install libjpeg-turbo-progs)',
          ratioToJpegtran: jpegtran ? +(jpegPerSecond / jpegtran.perSecond).toFixed(2) : null,
          outputToJpegtran: jpegtran ? +(jpeg.result / jpegtran.outBytes).toFixed(4) : null,
        },
        workerPeakRssMb: peak,
      };
    } finally {
      await sanitizer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
