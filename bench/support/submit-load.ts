// Child process of the submit benchmark: residents' browsers filing at a constant rate
// (wrk2's method, as paced-load.ts): filing i is due at start + i/rate and its latency is
// counted from when it was due to its receipt, so a stalled server is charged for the
// filings it kept waiting. Each filing is sent with its resident's session cookie and CSRF
// token (paced-load sends one set of headers for all). Form-only filings are all signed
// before the run starts (the card's work, not the server's); a filing with an attachment is
// a flow on one connection: the upload, then — with the upload's id and the SHA-256 of the
// rebuilt file it answered — the document signed and filed, its latency from when the
// upload was due to the filing's receipt. An uncounted warm-up at the same rate runs
// straight into the counted part. Prints one JSON line of figures (and `{"measuring":true}`
// when the first counted filing is due).
// Usage: node --import tsx submit-load.ts < options.json (SubmitLoadOptions).
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { watchGcPauses } from './gc-pauses.ts';
import type { BenchResident } from './submit-cards.ts';
import { type Answer, Connection, requestHead } from './submit-connection.ts';
import { type CardSigner, cardSigner, filingDocument } from './submit-signing.ts';

export interface SubmitLoadOptions {
  readonly port: number;
  readonly rate: number;
  readonly seconds: number;
  readonly warmUpSeconds: number;
  /** Keep-alive connections, one filing (upload and filing) in flight on each. */
  readonly connections: number;
  readonly procedureId: string;
  readonly municipalityCode: string;
  readonly data: Record<string, unknown>;
  /** Each filing first uploads one of `files` (in turn) and attaches it as `id`. */
  readonly attachment?: { readonly id: string; readonly files: readonly string[] };
  readonly residents: readonly BenchResident[];
  /** The first filings bring the residents in one after another over this many filings. */
  readonly staggerCount: number;
  /** Where the receipts of filings answered 201 are written: JSON [idempotencyKey, submissionId][]. */
  readonly receiptsFile: string;
}

const percentile = (sorted: Float64Array, p: number) =>
  sorted.length === 0
    ? 0
    : +sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))]!.toFixed(2);
const summary = (values: Float64Array) => {
  const sorted = Float64Array.from(values).sort();
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: percentile(sorted, 100) };
};

/**
 * Filing i's resident: during the stagger, one of those come so far, each about as often as
 * the others (a golden-ratio sequence); after it, all in turn. `i % come` used only the ~75
 * latest, leaving the others idle until the stagger ended, when all came back at once and
 * their revocation answers, due for refreshing, were asked about together: the slow 30th
 * second of every run.
 */
function residentOf(i: number, residents: number, stagger: number): number {
  if (i >= stagger) return i % residents;
  const come = Math.min(residents, 1 + Math.floor((residents * i) / stagger));
  return Math.floor(((i * 0.6180339887498949) % 1) * come);
}

export async function submitLoad(options: SubmitLoadOptions, onMeasuring: () => void) {
  const warm = Math.round(options.rate * options.warmUpSeconds);
  const total = warm + Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const path = `/api/v1/procedures/${options.procedureId}/submissions`;
  const { port, residents } = options;
  const json = (resident: BenchResident) => ({
    cookie: resident.cookie,
    'x-csrf-token': resident.csrf,
    'content-type': 'application/json',
  });

  const preparing = performance.now();
  const signers: CardSigner[] = [];
  for (const resident of residents) {
    signers.push(
      await cardSigner(
        Buffer.from(resident.signingCertificate, 'base64'),
        Buffer.from(resident.signingKey, 'base64'),
      ),
    );
  }
  const filedFrom = Date.now();
  /** One filing's request: the document signed now by resident r's card. */
  const filing = (i: number, r: number, attachments: { id: string; uploadId: string; sha256: string }[]) => {
    const document = filingDocument({
      procedureId: options.procedureId,
      municipalityCode: options.municipalityCode,
      data: options.data,
      attachments,
      filedAt: new Date(filedFrom + i),
    });
    const key = randomUUID();
    const body = Buffer.from(
      JSON.stringify({
        idempotencyKey: key,
        document: Buffer.from(document).toString('base64'),
        signature: signers[r]!.sign(document, new Date()).toString('base64'),
      }),
    );
    return { key, head: requestHead('POST', path, port, json(residents[r]!), body.length), body };
  };
  const files = (options.attachment?.files ?? []).map((file) => readFileSync(file));
  const uploadHeads = residents.map((resident) =>
    files.map((file) =>
      requestHead(
        'POST',
        '/api/v1/uploads',
        port,
        { cookie: resident.cookie, 'x-csrf-token': resident.csrf, 'content-type': 'image/jpeg' },
        file.length,
      ),
    ),
  );
  const presigned = options.attachment
    ? []
    : Array.from({ length: total }, (_, i) =>
        filing(i, residentOf(i, residents.length, options.staggerCount), []),
      );
  const signSeconds = +((performance.now() - preparing) / 1000).toFixed(1);

  const latency = new Float64Array(total);
  const uploadMs = new Float64Array(options.attachment ? total : 0);
  const fileMs = new Float64Array(total);
  const clientSignMs = new Float64Array(options.attachment ? total : 0);
  const counts = { status: {} as Record<string, number>, errors: 0 };
  const warmCounts = { status: {} as Record<string, number>, errors: 0 };
  const receipts: [string, string][] = [];
  /** Answers other than 201, by status and problem detail (what went wrong, for the report). */
  const problems: Record<string, number> = {};
  const noteProblem = (step: string, answer: Answer) => {
    let detail = '';
    try {
      detail = (JSON.parse(answer.body.toString()) as { detail?: string }).detail ?? '';
    } catch {}
    const key = `${step} ${answer.status} ${detail}`.slice(0, 160);
    if (key in problems || Object.keys(problems).length < 20) problems[key] = (problems[key] ?? 0) + 1;
  };

  /** Filing i on `connection`; `done` once with the final status. */
  const run = (i: number, connection: Connection, done: (status: string) => void) => {
    const r = residentOf(i, residents.length, options.staggerCount);
    const sendFiling = (request: ReturnType<typeof filing>) => {
      const sentAt = performance.now();
      connection.send(request.head, request.body, (answer: Answer) => {
        fileMs[i] = performance.now() - sentAt;
        if (answer.status === '201') {
          receipts.push([
            request.key,
            (JSON.parse(answer.body.toString()) as { submissionId: string }).submissionId,
          ]);
        }
        done(answer.status);
      });
    };
    if (!options.attachment) return sendFiling(presigned[i]!);
    const file = i % files.length;
    const sentAt = performance.now();
    connection.send(uploadHeads[r]![file]!, files[file], (answer) => {
      uploadMs[i] = performance.now() - sentAt;
      if (answer.status !== '201' || connection.closed) {
        noteProblem('upload', answer);
        return done(`upload-${answer.status}`);
      }
      const { uploadId, report } = JSON.parse(answer.body.toString()) as {
        uploadId: string;
        report: { output: { sha256: string } };
      };
      const signing = performance.now();
      const request = filing(i, r, [{ id: options.attachment!.id, uploadId, sha256: report.output.sha256 }]);
      clientSignMs[i] = performance.now() - signing;
      sendFiling(request);
    });
  };

  const idle: Connection[] = [];
  const open = new Set<Connection>();
  let finished = false;
  let dispatch = () => {};
  // A connection the server closed is replaced, as a browser would reconnect.
  const connectOne = () => {
    const connection: Connection = new Connection(port, (closed) => {
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
  for (let i = 0; i < options.connections; i++) connectOne();

  let cpuAtStart = process.cpuUsage();
  const gc = watchGcPauses();
  let completed = 0;
  let next = 0;
  let taken = 0;
  const start = performance.now();
  const measuredFrom = start + warm * interval;
  if (warm === 0) onMeasuring();
  await new Promise<void>((resolve) => {
    dispatch = () => {
      while (taken < next && idle.length > 0) {
        const index = taken++;
        const connection = idle.pop()!;
        run(index, connection, (status) => {
          latency[index] = performance.now() - (start + index * interval);
          const counted = index < warm ? warmCounts : counts;
          counted.status[status] = (counted.status[status] ?? 0) + 1;
          if (!/^\d{3}$/.test(status)) counted.errors++;
          if (!connection.closed) idle.push(connection);
          if (++completed === total) resolve();
          else dispatch();
        });
      }
    };
    // Timers fire about once a millisecond; each firing releases every filing now due.
    const tick = () => {
      const before = next;
      next = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
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
  writeFileSync(options.receiptsFile, JSON.stringify(receipts));

  const perSecond: { p99: number; max: number }[] = [];
  for (let from = warm; from < total; from += options.rate) {
    const second = latency.slice(from, Math.min(total, from + options.rate)).sort();
    perSecond.push({ p99: percentile(second, 99), max: percentile(second, 100) });
  }
  const measured = latency.subarray(warm).sort();
  return {
    sent: total - warm,
    achievedRate: Math.round((total - warm) / elapsed),
    /** From when the first counted filing was due to the last receipt. */
    elapsedSeconds: +elapsed.toFixed(1),
    status: counts.status,
    errors: counts.errors,
    /** From when each filing was due to its receipt (with an attachment: upload, signature and filing). */
    latencyMs: {
      p50: percentile(measured, 50),
      p90: percentile(measured, 90),
      p99: percentile(measured, 99),
      p999: percentile(measured, 99.9),
      max: percentile(measured, 100),
    },
    /** From when each request was written to its answer. */
    serviceMs: {
      filing: summary(fileMs.subarray(warm)),
      ...(options.attachment
        ? { upload: summary(uploadMs.subarray(warm)), clientSigning: summary(clientSignMs.subarray(warm)) }
        : {}),
    },
    cpuSeconds: { user: +(cpu.user / 1e6).toFixed(2), system: +(cpu.system / 1e6).toFixed(2) },
    gc: gc.read(),
    perSecond,
    warmUp: { sent: warm, ...warmCounts },
    problems,
    preparation: { signSeconds, filings: total },
  };
}

export type SubmitLoadResult = Awaited<ReturnType<typeof submitLoad>>;

if (import.meta.url === `file://${process.argv[1]}`) {
  // Decoded as one stream, not chunk by chunk: a chunk can end inside a multi-byte UTF-8
  // character (a shop's name in a QR code), which `input += chunk` would turn into U+FFFD.
  process.stdin.setEncoding('utf8');
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const result = await submitLoad(JSON.parse(input) as SubmitLoadOptions, () =>
    console.log(JSON.stringify({ measuring: true })),
  );
  console.log(JSON.stringify(result));
}
