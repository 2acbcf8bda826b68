// The attachment of the submit benchmark's second part: a photo of about 1 MB as a resident
// sends it (a passbook page taken with a phone, resized for upload): 1920 × 1440, smooth
// gradients with sensor noise, quality 92 — about 1.0 MB. Made here, nothing downloaded.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';

const WIDTH = 1920;
const HEIGHT = 1440;

/** One photo-like JPEG; `seed` makes each a different file. */
export function photoOfAboutOneMegabyte(seed: number): Uint8Array {
  const canvas = createCanvas(WIDTH, HEIGHT);
  const context = canvas.getContext('2d');
  const gradient = context.createLinearGradient(0, 0, WIDTH, HEIGHT);
  gradient.addColorStop(0, `hsl(${(seed * 47) % 360}, 60%, 70%)`);
  gradient.addColorStop(1, `hsl(${(seed * 47 + 120) % 360}, 50%, 30%)`);
  context.fillStyle = gradient;
  context.fillRect(0, 0, WIDTH, HEIGHT);
  const noise = context.getImageData(0, 0, WIDTH, HEIGHT);
  let state = seed;
  for (let i = 0; i < noise.data.length; i += 4) {
    state = (state * 1103515245 + 12345) >>> 0;
    // The high bits: an LCG's low bits repeat with a short period (and would compress away).
    const delta = ((state >>> 24) & 31) - 16;
    noise.data[i] = noise.data[i]! + delta;
    noise.data[i + 1] = noise.data[i + 1]! + delta;
    noise.data[i + 2] = noise.data[i + 2]! + delta;
  }
  context.putImageData(noise, 0, 0);
  return canvas.encodeSync('jpeg', 92);
}

/** `count` different photos written to `dir`: their paths and sizes. */
export function writePhotos(dir: string, count: number): { files: string[]; bytes: number[] } {
  const files: string[] = [];
  const bytes: number[] = [];
  for (let seed = 1; seed <= count; seed++) {
    const photo = photoOfAboutOneMegabyte(seed);
    const file = join(dir, `photo-${seed}.jpg`);
    writeFileSync(file, photo);
    files.push(file);
    bytes.push(photo.length);
  }
  return { files, bytes };
}
