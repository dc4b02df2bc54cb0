import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleHub, json, pgUrl, signIn, sseReader, type Client, type ExampleHub } from './test-support.js';

const CHILD = fileURLToPath(new URL('./__fixtures__/serve-child.mjs', import.meta.url));

interface Instance {
  url: string;
  child: ChildProcess;
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
  exited: Promise<number | null>;
}

async function start(databaseUrl: string): Promise<Instance> {
  const child = spawn(process.execPath, [CHILD, databaseUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg: string; url?: string };
      if (entry.msg === 'ready') resolve(entry.url ?? '');
    });
    void exited.then(() => {
      reject(new Error(`the server exited: ${stderr}`));
    });
  });
  return { url, child, exited, fetch: (path, init) => fetch(new URL(path, url), init) };
}

// Two server processes over one PostgreSQL database behave as one.
describe.skipIf(pgUrl === undefined)('two instances over one PostgreSQL (needs HUBSPOKE_TEST_PG_URL)', () => {
  let example: ExampleHub;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    example = await exampleHub('postgres');
    await example.hub.close(); // the instances open it themselves
    [a, b] = await Promise.all([start(example.url!), start(example.url!)]);
  });
  afterAll(async () => {
    for (const instance of [a, b]) instance.child.kill('SIGTERM');
    expect(await Promise.all([a.exited, b.exited])).toEqual([0, 0]);
    await example.cleanup();
  });

  /** A session started on one instance works on the other (sessions live in the database). */
  const on = (instance: Instance, client: Client): Client => ({
    ...client,
    fetch: (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('cookie', client.cookie);
      headers.set('x-csrf-token', client.csrf);
      if (init.body !== undefined) headers.set('content-type', 'application/json');
      return instance.fetch(path, { ...init, headers });
    },
  });

  it('a session from one instance works on the other; a decision on A reaches an SSE client of B', async () => {
    const lena = await signIn(a, 'lena');
    const lenaOnB = on(b, lena);
    expect((await lenaOnB.fetch('/api/session')).status).toBe(200);
    expect(
      (await lena.fetch('/api/drafts', json({ id: 'two-1', name: 'Two', template: { id: 'announcement' } }))).status,
    ).toBe(201);
    const submitted = await lenaOnB.fetch('/api/drafts/two-1/submissions', { method: 'POST' });
    expect(submitted.status).toBe(201);
    const { submissionId } = (await submitted.json()) as { submissionId: string };

    const ravi = await signIn(b, 'ravi');
    const events = sseReader(await ravi.fetch(`/api/submissions/${submissionId}/events`));
    await events.next((m) => m.event === 'ready');
    // Whoever reviews the active stage asks for changes, on instance A.
    const state = (await (await lena.fetch(`/api/submissions/${submissionId}`)).json()) as {
      stages: { id: string; status: string }[];
    };
    const stage = state.stages.find((s) => s.status === 'active')!;
    const reviewer = await signIn(a, { brand: 'bea', legal: 'lee', regional: 'ravi' }[stage.id] ?? 'hana');
    const decided = await reviewer.fetch(
      `/api/submissions/${submissionId}/decisions`,
      json({ verdict: 'changesRequired', stageId: stage.id }),
    );
    expect(decided.status, await decided.clone().text()).toBe(200);
    const event = await events.next((m) => m.event === 'decision');
    expect(JSON.parse(event.data)).toMatchObject({
      submissionId,
      event: 'changesRequired',
      actor: expect.any(String) as unknown,
    });
    await events.close();
  });

  it('two concurrent writes of the same draft version, one per instance: one 200, one 412', async () => {
    const jo = await signIn(a, 'jo');
    const joOnB = on(b, jo);
    expect(
      (await jo.fetch('/api/drafts', json({ id: 'two-race', name: 'Race', template: { id: 'announcement' } }))).status,
    ).toBe(201);
    const { draft } = (await (await jo.fetch('/api/drafts/two-race')).json()) as {
      draft: {
        modules: { instanceId: string }[];
        content: Record<string, { slots: Record<string, Record<string, unknown>> }>;
      };
    };
    const instance = draft.modules[0]!.instanceId;
    const edit = (text: string) => {
      const copy = structuredClone(draft);
      (copy.content['en-US']!.slots[instance] ??= {}).body = text;
      return { method: 'PUT', body: JSON.stringify(copy), headers: { 'if-match': '"1"' } };
    };
    const statuses = (
      await Promise.all([
        jo.fetch('/api/drafts/two-race', edit('from A')),
        joOnB.fetch('/api/drafts/two-race', edit('from B')),
      ])
    )
      .map((r) => r.status)
      .sort();
    expect(statuses).toEqual([200, 412]);
  });
});
