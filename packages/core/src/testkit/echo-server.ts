import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the echo server received. */
export interface EchoedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface EchoServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: readonly EchoedRequest[];
  /** The status of the next answers (default 401); 429 and 503 answers carry `Retry-After: 0`. */
  status: number;
  close(): Promise<void>;
}

/**
 * A vendor at its least careful: answers every request with an error whose body repeats the whole
 * request (method, path and query, every header, the body) raw, JSON-escaped, percent-decoded and
 * inside the error message, the way real APIs echo a rejected key or URL. For leak tests: point a
 * client with secrets at it and look for the secrets in what the client throws and logs.
 * Listens on 127.0.0.1 on a free port.
 */
export async function startEchoServer(options: { status?: number } = {}): Promise<EchoServer> {
  const requests: EchoedRequest[] = [];
  const state = { status: options.status ?? 401 };
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: EchoedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
        ),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      let decoded = request.url;
      try {
        decoded = decodeURIComponent(request.url);
      } catch {
        // keep it raw
      }
      const message = `Rejected ${request.method} ${request.url} (${decoded}) with ${request.headers.authorization ?? 'no authorization'}: ${request.body}`;
      const payload = JSON.stringify({
        error: { message, code: 'echo', request },
        message,
        errors: [{ message, path: decoded }],
        fault: { faultstring: message },
      });
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-echo-url': encodeURI(decoded) };
      if (state.status === 429 || state.status === 503) headers['retry-after'] = '0';
      res.writeHead(state.status, headers);
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get status() {
      return state.status;
    },
    set status(value: number) {
      state.status = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
