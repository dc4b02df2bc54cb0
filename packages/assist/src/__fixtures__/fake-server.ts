import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test double: tests read request bodies freely
  body: any;
}

export type Reply =
  | { status?: number; headers?: Record<string, string>; json: unknown }
  | { status?: number; headers?: Record<string, string>; text: string }
  /** Server-sent events: each string is written as one `data:` event. */
  | { sse: string[]; raw?: false; delayMs?: number }
  /** Raw stream text, written in the given pieces (to test chunk boundaries). */
  | { sse: string[]; raw: true; delayMs?: number }
  | { hang: true }
  | { destroy: true };

export interface FakeServer {
  url: string;
  requests: Recorded[];
  /** Replies used in order, one per request. */
  reply(...replies: Reply[]): void;
  /** Used when no scripted reply is left. */
  handle: ((request: Recorded) => Reply) | undefined;
  /** Forgets the requests, the replies not used yet and the handler. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * A local stand-in for OpenAI-compatible and DeepL-compatible servers on 127.0.0.1: records
 * every request and answers with scripted replies (JSON, text, SSE streams, hangs, resets).
 */
export async function startFakeServer(): Promise<FakeServer> {
  const queue: Reply[] = [];
  const requests: Recorded[] = [];
  const fake: FakeServer = {
    url: '',
    requests,
    reply: (...replies) => {
      queue.push(...replies);
    },
    handle: undefined,
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      fake.handle = undefined;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the text
      }
      const recorded: Recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      requests.push(recorded);
      const reply = queue.shift() ??
        fake.handle?.(recorded) ?? { status: 500, json: { error: { message: 'no reply scripted' } } };
      void send(res, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/**
 * One fake server for a test file: started before its tests, closed after them, and
 * cleared (requests, unused replies, handler) before each test, so that a reply a slow
 * machine left unused (a request that timed out before it arrived) never answers the next
 * test. Read `url` inside tests.
 */
export function useFakeServer(): FakeServer {
  let fake: FakeServer | undefined;
  const current = (): FakeServer => {
    if (fake === undefined) throw new Error('the fake server starts in beforeAll: use it inside tests');
    return fake;
  };
  beforeAll(async () => {
    fake = await startFakeServer();
  });
  afterAll(() => current().close());
  beforeEach(() => {
    current().reset();
  });
  return {
    get url() {
      return current().url;
    },
    get requests() {
      return current().requests;
    },
    reply: (...replies) => {
      current().reply(...replies);
    },
    get handle() {
      return current().handle;
    },
    set handle(handler) {
      current().handle = handler;
    },
    reset: () => {
      current().reset();
    },
    close: () => current().close(),
  };
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function send(res: ServerResponse, reply: Reply): Promise<void> {
  if ('hang' in reply) return;
  if ('destroy' in reply) {
    res.socket?.destroy();
    return;
  }
  if ('sse' in reply) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const event of reply.sse) {
      res.write(reply.raw === true ? event : `data: ${event}\n\n`);
      if (reply.delayMs !== undefined) await new Promise((r) => setTimeout(r, reply.delayMs));
    }
    res.end();
    return;
  }
  const isJson = 'json' in reply;
  res.writeHead(reply.status ?? 200, { 'content-type': isJson ? 'application/json' : 'text/plain', ...reply.headers });
  res.end(isJson ? JSON.stringify(reply.json) : reply.text);
}

/** An OpenAI-style chat completion answering `content`. */
export function chatReply(content: string | null, usage = { prompt_tokens: 100, completion_tokens: 20 }): Reply {
  return {
    json: {
      id: 'cmpl-1',
      object: 'chat.completion',
      model: 'fake-model',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    },
  };
}

/** An OpenAI-style stream of `pieces`, a usage chunk, then `[DONE]`. */
export function chatStream(
  pieces: string[],
  usage: { prompt_tokens: number; completion_tokens: number } | null = { prompt_tokens: 50, completion_tokens: 10 },
): Reply {
  const chunk = (delta: unknown, extra: object = {}) =>
    JSON.stringify({
      id: 'c',
      object: 'chat.completion.chunk',
      model: 'fake-model',
      choices: [{ index: 0, delta }],
      ...extra,
    });
  const events = [chunk({ role: 'assistant', content: '' }), ...pieces.map((p) => chunk({ content: p }))];
  if (usage !== null)
    events.push(JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'fake-model', choices: [], usage }));
  events.push('[DONE]');
  return { sse: events };
}

/** The JSON inside the `<data>` block of the last user message of a chat request. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test double: tests read the data freely
export function dataOf(request: Recorded): any {
  const messages = (request.body as { messages: unknown }).messages as {
    role: string;
    content: string | { type: string; text?: string }[];
  }[];
  const last = messages.filter((m) => m.role === 'user').at(-1);
  const text =
    typeof last?.content === 'string' ? last.content : (last?.content.find((p) => p.type === 'text')?.text ?? '');
  const json = /<data>([\s\S]*)<\/data>/.exec(text)?.[1];
  return json === undefined ? undefined : JSON.parse(json);
}
