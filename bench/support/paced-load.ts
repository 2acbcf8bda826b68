// Child process of the HTTP benchmarks: sends requests (GET, or POST with one JSON body per
// request) at a constant rate (wrk2's method) and prints one JSON line of figures. Request
// i is due at start + i/rate; its latency is counted from when it was due, not from when it
// was sent, so a stalled server is charged for the requests it kept waiting (no coordinated
// omission). A paced run may begin with a warm-up at the same rate, not counted, that runs
// straight into the measured part. A closed-loop run (`requests`) instead sends as fast as the connections
// take answers, to find the most the server can do.
// Usage: node --import tsx paced-load.ts < options.json (PacedLoadOptions; stdin, as the
// lists of paths and bodies are long).
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type GcPauses, watchGcPauses } from './gc-pauses.ts';

export interface PacedLoadOptions {
  readonly port: number;
  /** Paths sent in turn. */
  readonly paths: readonly string[];
  readonly rate: number;
  readonly seconds: number;
  readonly headers?: Record<string, string>;
  /** Keep-alive connections, one request in flight on each (default 32). */
  readonly connections?: number;
  /**
   * POST these JSON bodies, request i the body i (in turn when there are fewer bodies than
   * requests), as `application/json`; without bodies every request is a GET.
   */
  readonly bodies?: readonly string[];
  /** Headers of request i (in turn), after `headers`: e.g. each resident's session cookie. */
  readonly requestHeaders?: readonly Record<string, string>[];
  /**
   * Closed loop: send this many requests as fast as the connections allow (each connection
   * sends its next request when the previous answer has come), ignoring `rate` and
   * `seconds`. Latency is then counted from when each request was sent.
   */
  readonly requests?: number;
  /**
   * Paced runs: first send for this long at the same rate, uncounted (the requests and
   * bodies come first in the lists), then `seconds` of counted requests with no pause between.
   */
  readonly warmUpSeconds?: number;
  /** Print `{"measuring":true}` when the first counted request is due (for a driver's own counters). */
  readonly announce?: boolean;
  /** Paced runs: also give p99 and max latency for each second of the counted part (by when requests were due). */
  readonly timeline?: boolean;
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
  /** CPU time the load generator itself used over the counted requests. */
  readonly cpuSeconds: { user: number; system: number };
  /** The load generator's own garbage-collection pauses over the counted requests (they delay sending). */
  readonly gc: GcPauses;
  /** With `timeline`: each second's p99 and max latency, in ms. */
  readonly perSecond?: { p99: number; max: number }[];
  /** The uncounted warm-up, when there was one. */
  readonly warmUp?: { sent: number; status: Record<string, number>; errors: number };
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

/** The requests to send in turn, written out once so that the run spends no time on them. */
function requestsOf(options: PacedLoadOptions): Buffer[] {
  const lines = (headers: Record<string, string>) =>
    Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
  const common = `host: 127.0.0.1:${options.port}\r\n${lines(options.headers ?? {})}`;
  const perRequest = options.requestHeaders ?? [];
  const headersOf = (i: number) =>
    perRequest.length === 0 ? common : common + lines(perRequest[i % perRequest.length]!);
  const bodies = options.bodies ?? [];
  const count = Math.max(bodies.length, options.paths.length, perRequest.length);
  return Array.from({ length: count }, (_, i) => {
    const path = options.paths[i % options.paths.length];
    if (bodies.length === 0) return Buffer.from(`GET ${path} HTTP/1.1\r\n${headersOf(i)}\r\n`, 'latin1');
    const body = Buffer.from(bodies[i % bodies.length]!, 'utf8');
    const head =
      `POST ${path} HTTP/1.1\r\n${headersOf(i)}` +
      `content-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`;
    return Buffer.concat([Buffer.from(head, 'latin1'), body]);
  });
}

export async function pacedLoad(
  options: PacedLoadOptions,
  onMeasuring: () => void = () => {},
): Promise<PacedLoadResult> {
  const closedLoop = options.requests !== undefined;
  const warm = closedLoop ? 0 : Math.round(options.rate * (options.warmUpSeconds ?? 0));
  const total = closedLoop ? options.requests! : warm + Math.round(options.rate * options.seconds);
  // In a closed loop every request is due at the start; its latency counts from when it was sent.
  const interval = closedLoop ? 0 : 1000 / options.rate;
  const requests = requestsOf(options);
  const latency = new Float64Array(total);
  const service = new Float64Array(total);
  const counts = { status: {} as Record<string, number>, errors: 0 };
  const warmCounts = { status: {} as Record<string, number>, errors: 0 };
  let completed = 0;
  // Requests [taken, next) are due and wait for a connection, oldest first.
  let next = 0;
  let taken = 0;
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

  let cpuAtStart = process.cpuUsage();
  const gc = watchGcPauses();
  const start = performance.now();
  const measuredFrom = start + warm * interval;
  if (warm === 0) onMeasuring();
  await new Promise<void>((done) => {
    dispatch = () => {
      while (taken < next && idle.length > 0) {
        const index = taken++;
        const connection = idle.pop()!;
        const due = start + index * interval;
        const sentAt = performance.now();
        connection.send(requests[index % requests.length]!, (code) => {
          const now = performance.now();
          latency[index] = now - (closedLoop ? sentAt : due);
          service[index] = now - sentAt;
          const counted = index < warm ? warmCounts : counts;
          counted.status[code] = (counted.status[code] ?? 0) + 1;
          // Anything but an HTTP status: no answer, or one that could not be read.
          if (!/^\d{3}$/.test(code)) counted.errors++;
          if (!connection.closed) idle.push(connection);
          if (++completed === total) done();
          else dispatch();
        });
      }
    };
    // Timers fire about once a millisecond; each firing releases every request now due.
    // A request due while every connection is busy waits, and that wait counts.
    const tick = () => {
      const before = next;
      next = closedLoop ? total : Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      if (warm > 0 && before <= warm && next > warm) {
        cpuAtStart = process.cpuUsage();
        gc.reset();
        onMeasuring();
      }
      dispatch();
      if (next < total) setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
    };
    tick();
  });
  const elapsed = (performance.now() - measuredFrom) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  gc.stop();
  finished = true;
  for (const connection of open) connection.close();
  const perSecond: { p99: number; max: number }[] = [];
  if (options.timeline && !closedLoop) {
    for (let from = warm; from < total; from += options.rate) {
      const second = latency.slice(from, Math.min(total, from + options.rate)).sort();
      perSecond.push({ p99: percentile(second, 99), max: percentile(second, 100) });
    }
  }
  const measuredLatency = latency.subarray(warm).sort();
  const measuredService = service.subarray(warm).sort();
  return {
    sent: total - warm,
    achievedRate: Math.round((total - warm) / elapsed),
    status: counts.status,
    errors: counts.errors,
    latencyMs: {
      p50: percentile(measuredLatency, 50),
      p90: percentile(measuredLatency, 90),
      p99: percentile(measuredLatency, 99),
      p999: percentile(measuredLatency, 99.9),
      max: percentile(measuredLatency, 100),
    },
    serviceMs: { p50: percentile(measuredService, 50), p99: percentile(measuredService, 99) },
    cpuSeconds: { user: +(cpu.user / 1e6).toFixed(2), system: +(cpu.system / 1e6).toFixed(2) },
    gc: gc.read(),
    ...(perSecond.length > 0 ? { perSecond } : {}),
    ...(warm > 0 ? { warmUp: { sent: warm, ...warmCounts } } : {}),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Decoded as one stream, not chunk by chunk: a chunk can end inside a multi-byte UTF-8
  // character (a shop's name in a QR code), which `input += chunk` would turn into U+FFFD.
  process.stdin.setEncoding('utf8');
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const options = JSON.parse(input) as PacedLoadOptions;
  const result = await pacedLoad(options, () => {
    if (options.announce) console.log(JSON.stringify({ measuring: true }));
  });
  console.log(JSON.stringify(result));
}
