// One keep-alive HTTP/1.1 connection on a raw socket for the submit benchmark's load
// generator: sends a request, reads its answer's status and body (Content-Length; our
// servers never chunk a JSON answer), then takes the next. As in paced-load.ts, raw sockets
// rather than node:http: the load generator shares the machine with what it measures.
// Unlike paced-load, the answer's body is kept (a filing needs the upload's id and hash).
import { connect, type Socket } from 'node:net';

export interface Answer {
  /** The HTTP status, or what went wrong: 'error', 'timeout', 'no-content-length'. */
  readonly status: string;
  readonly body: Buffer;
}

const ANSWER_TIMEOUT_MS = 30_000;
const EMPTY = Buffer.alloc(0);

export class Connection {
  private readonly socket: Socket;
  private buffer: Buffer = EMPTY;
  private onAnswer: ((answer: Answer) => void) | undefined;
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
      this.answer({ status: 'error', body: EMPTY });
      onClose(this);
    });
  }

  /** Writes the request (head, then the body if any: a large body is not copied into one buffer). */
  send(head: Buffer, body: Buffer | undefined, onAnswer: (answer: Answer) => void): void {
    this.onAnswer = onAnswer;
    // An answer that never comes is an error, not a run that never ends.
    this.timer = setTimeout(() => {
      this.answer({ status: 'timeout', body: EMPTY });
      this.socket.destroy();
    }, ANSWER_TIMEOUT_MS);
    this.socket.cork();
    this.socket.write(head);
    if (body) this.socket.write(body);
    this.socket.uncork();
  }

  close(): void {
    this.socket.destroy();
  }

  private read(chunk: Buffer) {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const headEnd = this.buffer.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = this.buffer.toString('latin1', 0, headEnd);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) {
      this.answer({ status: 'no-content-length', body: EMPTY });
      this.socket.destroy();
      return;
    }
    const end = headEnd + 4 + Number(length[1]);
    if (this.buffer.length < end) return;
    const body = this.buffer.subarray(headEnd + 4, end);
    this.buffer = this.buffer.length === end ? EMPTY : this.buffer.subarray(end);
    // The server will close this one: take it out of use before the answer frees it.
    if (/\r\nconnection: *close/i.test(head)) this.closed = true;
    this.answer({ status: head.slice(9, 12), body });
  }

  private answer(answer: Answer) {
    const onAnswer = this.onAnswer;
    clearTimeout(this.timer);
    this.onAnswer = undefined;
    onAnswer?.(answer);
  }
}

/** The head of a request with a body of `length` bytes. */
export function requestHead(
  method: string,
  path: string,
  port: number,
  headers: Record<string, string>,
  length: number,
): Buffer {
  const lines = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return Buffer.from(
    `${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n${lines}content-length: ${length}\r\n\r\n`,
    'latin1',
  );
}
