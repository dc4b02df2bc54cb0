// Shared by the tests: the example hub (Northwind Trails) in a HubStore, a server over it, clients that sign in.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scratchDatabase } from '@hubspoke/core/testkit';
import { importHub, loadHub, openDatabase, openHub, scaffoldHub, type Hub, type HubDatabase } from '@hubspoke/hub';
import pg from 'pg';
import { createServerApp, type HubspokeServerApp, type ServerOptions } from './app.js';
import type { LogEntry } from './log.js';

export const ORIGIN = 'http://127.0.0.1:8080';
export const pgUrl = process.env.HUBSPOKE_TEST_PG_URL;
export type Backend = 'pglite' | 'postgres';
export const BACKENDS: Backend[] = pgUrl === undefined ? ['pglite'] : ['pglite', 'postgres'];

export interface ExampleHub {
  hub: Hub;
  database: HubDatabase;
  /** The database URL (PostgreSQL) another process can open. */
  url?: string;
  cleanup: () => Promise<void>;
}

/** The example hub imported into a HubStore: PGlite in memory, or a scratch PostgreSQL database. */
export async function exampleHub(
  backend: Backend = 'pglite',
  options: { env?: Record<string, string | undefined> } = {},
): Promise<ExampleHub> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hubspoke-server-'));
  await scaffoldHub(dir);
  const folder = await loadHub({ cwd: dir, database: 'memory:', env: {} });
  const scratch = backend === 'postgres' ? await scratchDatabase(pg, pgUrl) : undefined;
  const database = await openDatabase(
    scratch === undefined ? { kind: 'memory' } : { kind: 'postgres', url: scratch.url },
  );
  const hub = await openHub({ database, env: options.env ?? {}, cwd: dir, closeDatabase: true });
  await importHub(folder, (await hub.state()).store, await folder.principal('hana'));
  await folder.close();
  return {
    hub,
    database,
    ...(scratch === undefined ? {} : { url: scratch.url }),
    cleanup: async () => {
      await hub.close();
      await scratch?.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// One hub per test file: building it costs seconds on a loaded machine (start it in beforeAll).
let shared: Promise<ExampleHub> | undefined;
export const sharedHub = (): Promise<ExampleHub> => (shared ??= exampleHub());

export interface TestServer {
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
  logs: LogEntry[];
  hub: Hub;
  server: HubspokeServerApp;
}

/** A server over the file's shared example hub, in dev mode unless `dev: false`. */
export async function testServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const logs: LogEntry[] = [];
  const hub = options.hub ?? (await sharedHub()).hub;
  const server = await createServerApp({ hub, dev: true, log: (entry) => logs.push(entry), ...options });
  return { fetch: (p, init) => server.fetch(new Request(new URL(p, ORIGIN), init)), logs, hub, server };
}

export interface Client {
  cookie: string;
  csrf: string;
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
  get: <T = unknown>(path: string) => Promise<T>;
}

/** A signed-in dev session: sends its cookie and CSRF token like the web app does. */
export async function signIn(server: Pick<TestServer, 'fetch'>, person: string): Promise<Client> {
  const res = await server.fetch('/auth/dev/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ person }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${person} failed: ${String(res.status)} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const fetch = (p: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('cookie', cookie);
    headers.set('x-csrf-token', csrfToken);
    if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
    return server.fetch(p, { ...init, headers });
  };
  return {
    cookie,
    csrf: csrfToken,
    fetch,
    get: async <T>(p: string) => {
      const res = await fetch(p);
      if (!res.ok) throw new Error(`GET ${p}: ${String(res.status)} ${await res.text()}`);
      return (await res.json()) as T;
    },
  };
}

export interface SignedInServer<P extends string = string> {
  example: ExampleHub;
  server: TestServer;
  /** A signed-in client of each person asked for. */
  people: Record<P, Client>;
  /** Closes the server, then the hub (and drops its scratch database). */
  close: () => Promise<void>;
}

/**
 * The example hub on `backend` (its own, not the file's shared one), a server over it and these people
 * signed in: a file's setup in `beforeAll`, its `close` in `afterAll`.
 */
export async function signedInServer<P extends string>(
  backend: Backend,
  people: readonly P[],
  options: { env?: Record<string, string | undefined>; server?: Partial<ServerOptions> } = {},
): Promise<SignedInServer<P>> {
  const example = await exampleHub(backend, { env: options.env ?? {} });
  const server = await testServer({ ...options.server, hub: example.hub });
  const clients = {} as Record<P, Client>;
  for (const person of people) clients[person] = await signIn(server, person);
  return {
    example,
    server,
    people: clients,
    close: async () => {
      await server.server.close();
      await example.cleanup();
    },
  };
}

export const json = (body: unknown, method = 'POST'): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/** Reads a text/event-stream response: `next()` resolves with each event (comments skipped). */
export function sseReader(response: Response): {
  next: (match?: (m: SseMessage) => boolean) => Promise<SseMessage>;
  close: () => Promise<void>;
} {
  if (response.body === null) throw new Error('no body');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const pending: SseMessage[] = [];
  const pull = async (): Promise<SseMessage> => {
    for (;;) {
      const message = pending.shift();
      if (message !== undefined) return message;
      const { done, value } = await reader.read();
      if (done) throw new Error('the event stream ended');
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const m: SseMessage = { event: 'message', data: '' };
        let isEvent = false;
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const [field, ...rest] = line.split(':');
          const value = rest.join(':').replace(/^ /, '');
          if (field === 'event') m.event = value;
          else if (field === 'data') m.data += value;
          else if (field === 'id') m.id = value;
          else continue;
          isEvent = true;
        }
        if (isEvent) pending.push(m);
      }
    }
  };
  return {
    next: async (match) => {
      for (;;) {
        const m = await pull();
        if (match === undefined || match(m)) return m;
      }
    },
    close: () => reader.cancel(),
  };
}
