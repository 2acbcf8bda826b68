// Child process of the HTTP benchmarks: sends GET requests at a constant rate (wrk2's
// method) and prints one JSON line of figures. Request i is due at start + i/rate; its
// latency is counted from when it was due, not from when it was sent, so a stalled
// server is charged for the requests it kept waiting (no coordinated omission).
// Usage: node --import tsx paced-load.ts < options.json (PacedLoadOptions; stdin, as the
// list of paths is long).
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface PacedLoadOptions {
  readonly port: number;
  /** Paths sent in turn. */
  readonly paths: readonly string[];
  readonly rate: number;
  readonly seconds: number;
  readonly headers?: Record<string, string>;
  /** Keep-alive connections, one request in flight on each (default 32). */
  readonly connections?: number;
}

export interface PacedLoadResult {
  readonly sent: number;
  readonly achievedRate: number;
  readonly status: Record<string, number>;
  readonly errors: number;
  /** From when each request was due to its last byte. */
  readonly latencyMs: { p50: number; p90: number; p99: number; p999: number; max: number };
  /** From when each request was written to its last byte (what a closed-loop client reports). */
  readonly serviceMs: { p50: number; p99: number };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return +sorted[Math.max(0, index)]!.toFixed(2);
}

const ANSWER_TIMEOUT_MS = 30_000;

/**
 * One keep-alive connection that sends a request, reads its answer (status line and
 * Content-Length; our servers never chunk a JSON answer), then takes the next. Raw
 * sockets, not node:http: the load generator shares the machine's two cores with the
 * server and PostgreSQL, so every microsecond it spends is taken from what is measured.
 */
class Connection {
  private readonly socket: Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private onAnswer: ((status: string) => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  closed = false;

  /** `onClose` runs once, when the connection can no longer be used. */
  constructor(port: number, onClose: (connection: Connection) => void) {
    this.socket = connect({ host: '127.0.0.1', port, noDelay: true });
    this.socket.on('data', (chunk) => this.read(chunk));
    // A refused or reset connection: its request (if any) counts as an error.
    this.socket.on('error', () => {});
    this.socket.on('close', () => {
      this.closed = true;
      this.answer('error');
      onClose(this);
    });
  }

  send(request: Buffer, onAnswer: (status: string) => void) {
    this.onAnswer = onAnswer;
    // An answer that never comes is an error, not a run that never ends.
    this.timer = setTimeout(() => {
      this.answer('timeout');
      this.socket.destroy();
    }, ANSWER_TIMEOUT_MS);
    this.socket.write(request);
  }

  close() {
    this.socket.destroy();
  }

  private read(chunk: Buffer) {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const headEnd = this.buffer.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = this.buffer.toString('latin1', 0, headEnd);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) {
      this.answer('no-content-length');
      this.socket.destroy();
      return;
    }
    const end = headEnd + 4 + Number(length[1]);
    if (this.buffer.length < end) return;
    this.buffer = this.buffer.subarray(end);
    // The server will close this one: take it out of use before the answer frees it.
    if (/\r\nconnection: *close/i.test(head)) this.closed = true;
    this.answer(head.slice(9, 12));
  }

  private answer(status: string) {
    const onAnswer = this.onAnswer;
    clearTimeout(this.timer);
    this.onAnswer = undefined;
    onAnswer?.(status);
  }
}

export async function pacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const headers = Object.entries(options.headers ?? {})
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  const requests = options.paths.map((path) =>
    Buffer.from(`GET ${path} HTTP/1.1\r\nhost: 127.0.0.1:${options.port}\r\n${headers}\r\n`, 'latin1'),
  );
  const latency = new Float64Array(total);
  const service = new Float64Array(total);
  const status: Record<string, number> = {};
  let errors = 0;
  let completed = 0;
  let next = 0;
  const waiting: number[] = [];
  const idle: Connection[] = [];
  const open = new Set<Connection>();
  let finished = false;
  let dispatch = () => {};
  // A connection the server closed is replaced, as a browser or proxy would reconnect.
  const connectOne = () => {
    const connection: Connection = new Connection(options.port, (closed) => {
      open.delete(closed);
      const at = idle.indexOf(closed);
      if (at >= 0) idle.splice(at, 1);
      if (finished) return;
      connectOne();
      setImmediate(() => dispatch());
    });
    open.add(connection);
    idle.push(connection);
  };
  for (let i = 0; i < (options.connections ?? 32); i++) connectOne();

  const start = performance.now();
  await new Promise<void>((done) => {
    dispatch = () => {
      while (waiting.length > 0 && idle.length > 0) {
        const index = waiting.shift()!;
        const connection = idle.pop()!;
        const due = start + index * interval;
        const sentAt = performance.now();
        connection.send(requests[index % requests.length]!, (code) => {
          const now = performance.now();
          latency[index] = now - due;
          service[index] = now - sentAt;
          status[code] = (status[code] ?? 0) + 1;
          // Anything but an HTTP status: no answer, or one that could not be read.
          if (!/^\d{3}$/.test(code)) errors++;
          if (!connection.closed) idle.push(connection);
          if (++completed === total) done();
          else dispatch();
        });
      }
    };
    // Timers fire about once a millisecond; each firing releases every request now due.
    // A request due while every connection is busy waits, and that wait counts.
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      while (next < due) waiting.push(next++);
      dispatch();
      if (next < total) setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
    };
    tick();
  });
  const elapsed = (performance.now() - start) / 1000;
  finished = true;
  for (const connection of open) connection.close();
  latency.sort();
  service.sort();
  return {
    sent: total,
    achievedRate: Math.round(total / elapsed),
    status,
    errors,
    latencyMs: {
      p50: percentile(latency, 50),
      p90: percentile(latency, 90),
      p99: percentile(latency, 99),
      p999: percentile(latency, 99.9),
      max: percentile(latency, 100),
    },
    serviceMs: { p50: percentile(service, 50), p99: percentile(service, 99) },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const result = await pacedLoad(JSON.parse(input) as PacedLoadOptions);
  console.log(JSON.stringify(result));
}
