/**
 * Counts what a zlib stream inflates to without keeping it: the output is streamed through
 * Node's zlib and dropped chunk by chunk, and inflation stops as soon as the count passes the
 * cap. A 1 KB stream that claims gigabytes therefore costs only the cap's worth of CPU and a
 * chunk's worth of memory (RFC 1950/1951; PNG spec §10 for IDAT).
 */
import { createInflate } from 'node:zlib';

export type InflateCount =
  | { readonly kind: 'ok'; readonly bytes: number }
  | { readonly kind: 'over'; readonly bytes: number }
  | { readonly kind: 'error'; readonly message: string };

/** Inflates `parts` (one zlib stream split across chunks) and counts up to `cap` + 1 bytes. */
export function countInflated(parts: readonly Uint8Array[], cap: number): Promise<InflateCount> {
  return new Promise((resolve) => {
    const inflate = createInflate({ chunkSize: 256 * 1024 });
    let bytes = 0;
    let settled = false;
    const settle = (result: InflateCount) => {
      if (settled) return;
      settled = true;
      resolve(result);
      inflate.destroy();
    };
    inflate.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > cap) settle({ kind: 'over', bytes });
    });
    inflate.on('error', (error) => settle({ kind: 'error', message: error.message }));
    inflate.on('end', () => settle({ kind: 'ok', bytes }));
    // Write part by part, waiting for drain, so a long stream is never buffered whole.
    let index = 0;
    const pump = () => {
      while (!settled && index < parts.length) {
        if (!inflate.write(parts[index++]!)) {
          inflate.once('drain', pump);
          return;
        }
      }
      if (!settled && index >= parts.length) inflate.end();
    };
    pump();
  });
}
