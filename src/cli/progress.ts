/**
 * Progress of a long job on stderr. On a terminal: one bar redrawn in place, with rows/s and
 * the time left. Elsewhere (a log file, CI): a plain line every few seconds, no escape codes.
 */
export interface ProgressReporter {
  /** `done` of `total` (bytes, say); `rows` is what people count. */
  update(done: number, rows: number, note?: string): void;
  finish(): void;
}

const number = (n: number) => Math.round(n).toLocaleString('en-US');

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function createProgress(
  stream: NodeJS.WritableStream,
  total: number,
  label: string,
  now: () => number = Date.now,
): ProgressReporter {
  const tty = (stream as NodeJS.WriteStream).isTTY === true;
  const started = now();
  let last = 0;
  let drawn = false;
  const interval = tty ? 100 : 5000;

  const render = (done: number, rows: number, note: string) => {
    const seconds = (now() - started) / 1000;
    const rate = seconds > 0 ? rows / seconds : 0;
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    const eta = fraction > 0 ? (seconds / fraction) * (1 - fraction) : Number.NaN;
    const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
    if (tty) {
      const width = 30;
      const filled = Math.round(fraction * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      stream.write(
        `\r\x1b[K${label} ${bar} ${percent}  ${number(rows)} rows  ${number(rate)} rows/s  ETA ${duration(eta)}${note}`,
      );
      drawn = true;
    } else {
      stream.write(`${label}: ${number(rows)} rows (${percent.trim()}), ${number(rate)} rows/s${note}\n`);
    }
  };

  let latest = { done: 0, rows: 0, note: '' };
  return {
    update(done, rows, note = '') {
      latest = { done, rows, note };
      const at = now();
      if (at - last < interval) return;
      last = at;
      render(done, rows, note);
    },
    finish() {
      if (tty) {
        render(latest.done, latest.rows, latest.note);
        if (drawn) stream.write('\n');
      }
    },
  };
}
