import { MachiError, problemFor, type ZoneName } from '../../core/index.ts';

/** One gateway call as bytes: the same whether it travels in-process or over HTTP. */
export interface GatewayRequest {
  readonly method: 'POST';
  readonly path: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /**
   * The attachments of the body's messages, one after another (envelope.attachment states each
   * one's length and hash), in pieces: sent as they are, never joined. Over HTTP they follow
   * the JSON and a line feed, which JSON text never holds unescaped.
   */
  readonly attached?: readonly Uint8Array[];
}

export interface GatewayResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The receiving side of a zone that answers gateway calls (only lgwan does). */
export interface GatewayEndpoint {
  handle(request: GatewayRequest): Promise<GatewayResponse>;
}

/** How a zone reaches another zone's endpoint. */
export interface GatewayTransport {
  exchange(to: ZoneName, request: GatewayRequest): Promise<GatewayResponse>;
}

export const JSON_TYPE = 'application/json; charset=utf-8';
/** A call's body with attachments: its JSON, a line feed, then the attachments' bytes. */
export const ATTACHED_TYPE = 'application/vnd.machi.gateway-attached';

export function problemResponse(error: MachiError, headers: Record<string, string> = {}): GatewayResponse {
  return {
    status: error.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...headers },
    body: JSON.stringify({ ...problemFor(error.code, error.detail, error.extensions) }),
  };
}

/**
 * Embedded mode: calls go straight to the other zone's endpoint object, still
 * as serialised, signed bytes, so the checks are the ones HTTP gets. A zone with
 * no endpoint answers 404, as it does over HTTP.
 */
export function createInProcessTransport(
  endpoints: ReadonlyMap<ZoneName, GatewayEndpoint>,
): GatewayTransport {
  return {
    // Not async, as over HTTP: the caller's request is not held while the endpoint answers
    // its copy (an async function keeps its arguments alive; see zone-gateway's `call`).
    exchange(to, request) {
      const endpoint = endpoints.get(to);
      if (!endpoint) {
        return Promise.resolve(
          problemResponse(new MachiError('not-found', `Nothing is at ${request.method} ${request.path}.`)),
        );
      }
      // Copies, so neither side can touch the other's objects.
      return endpoint.handle(structuredClone(request));
    },
  };
}

/** Between processes: POST to the other zone's base URL (MACHI_<ZONE>_URL). */
export function createHttpTransport(
  urls: Readonly<Record<ZoneName, string>>,
  options: { timeoutMs?: number } = {},
): GatewayTransport {
  /** The answer to a request sent; the request is not held while it comes (see `exchange`). */
  async function answered(to: ZoneName, sent: () => Promise<Response>): Promise<GatewayResponse> {
    let response: Response;
    try {
      response = await sent();
    } catch (error) {
      throw Object.assign(new MachiError('gateway-unreachable', `The ${to} zone did not answer.`), {
        cause: error,
      });
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    return { status: response.status, headers, body: await response.text() };
  }

  return {
    // Not async: the request's JSON text is let go once it is bytes, not held until the other
    // zone answers (an async function keeps its arguments alive; see zone-gateway's `call`).
    exchange(to, request) {
      const init = {
        method: request.method,
        headers: { ...request.headers, 'content-type': request.attached ? ATTACHED_TYPE : JSON_TYPE },
        // As bytes: a string body is first scanned for lone surrogates (JSON.stringify leaves
        // none), then encoded, for nothing.
        body: request.attached
          ? // undici streams an async iterable (DOM's BodyInit does not name it).
            (piecesOf([Buffer.from(`${request.body}\n`, 'utf8'), ...request.attached]) as unknown as BodyInit)
          : Buffer.from(request.body, 'utf8'),
        // A body of pieces is streamed (chunked): a file goes to the socket from where it lies.
        ...(request.attached ? { duplex: 'half' } : {}),
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      } as const;
      const { path } = request;
      const base = urls[to];
      return answered(to, () => fetch(new URL(path, base), init));
    },
  };
}

async function* piecesOf(pieces: readonly Uint8Array[]): AsyncIterable<Uint8Array> {
  yield* pieces;
}
