// Shared by the tests: a server over a fresh PGlite, clients that sign in, and log capture.
import { PGlite } from '@electric-sql/pglite';
import type { PrincipalInput, SqlClient } from '@hubspoke/core';
import { PrincipalSchema } from '@hubspoke/core';
import { createServerApp, type ServerOptions } from './app.js';
import type { LogEntry } from './log.js';

export const ORIGIN = 'http://127.0.0.1:8080';

export const PEOPLE = (
  [
    { id: 'hq-admin', name: 'Hana Quist', roles: ['hub-admin'], regions: [] },
    { id: 'brand-lead', name: 'Bea Rand', roles: ['brand-manager'] },
    { id: 'legal', name: 'Lee Gall', roles: ['legal-reviewer'] },
    { id: 'berlin', name: 'Lena Vogel', roles: ['spoke-marketer'], regions: ['DACH'], teams: ['berlin'] },
    { id: 'austin', name: 'Sam Ortiz', roles: ['spoke-marketer'], regions: ['US'], teams: ['austin'] },
    { id: 'dach-manager', name: 'Jonas Klein', roles: ['regional-manager'], regions: ['DACH'] },
  ] satisfies PrincipalInput[]
).map((p) => PrincipalSchema.parse(p));

export async function newPglite(): Promise<PGlite> {
  const db = new PGlite();
  await db.waitReady;
  return db;
}

// One in-memory database per test file: starting PGlite costs seconds on a loaded machine.
let shared: Promise<PGlite> | undefined;
export const sharedPglite = (): Promise<PGlite> => (shared ??= newPglite());

export interface TestServer {
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
  logs: LogEntry[];
  sql: SqlClient;
  setReady(ready: boolean): void;
}

/** A server over the file's shared PGlite, in dev mode with {@link PEOPLE} unless `dev: undefined` is given. */
export async function testServer(
  options: Partial<Omit<ServerOptions, 'dev'>> & { dev?: ServerOptions['dev'] | undefined } = {},
): Promise<TestServer> {
  const logs: LogEntry[] = [];
  const sql = options.sql ?? (await sharedPglite());
  const { dev, ...rest } = options;
  const devOption = 'dev' in options ? dev : { people: PEOPLE };
  const server = await createServerApp({
    sql,
    operatingModel: 'hybrid',
    log: (entry) => logs.push(entry),
    ...rest,
    ...(devOption === undefined ? {} : { dev: devOption }),
  });
  return {
    fetch: (path, init) => server.fetch(new Request(new URL(path, ORIGIN), init)),
    logs,
    sql,
    setReady: server.setReady,
  };
}

/** A signed-in dev session: sends its cookie and CSRF token like the web app does. */
export async function signIn(
  server: Pick<TestServer, 'fetch'>,
  person: string,
): Promise<{ cookie: string; csrf: string; fetch: (path: string, init?: RequestInit) => Promise<Response> }> {
  const res = await server.fetch('/auth/dev/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ person }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${person} failed: ${String(res.status)} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return {
    cookie,
    csrf: csrfToken,
    fetch: (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('cookie', cookie);
      headers.set('x-csrf-token', csrfToken);
      if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
      return server.fetch(path, { ...init, headers });
    },
  };
}

export const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
