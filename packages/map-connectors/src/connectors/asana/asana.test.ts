import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { applyWorkflowEffect } from '../../sdk/effects.js';
import { createMemoryPublishStore } from '../../sdk/publish/publish-store.js';
import { describeConformance, useFakeServer } from '../../testkit/vitest.js';
import { fastTestRuntime } from '../../testkit/fixtures.js';
import { FakeAsana } from '../../testkit/fakes/asana.js';
import { asana, createAsanaWebhookReceiver, taskMarker } from './asana.js';

const fake = useFakeServer(new FakeAsana());
const fast = fastTestRuntime;
const config = (token = fake.token) => ({ accessToken: token, projectGid: '1200000000000001', baseUrl: fake.url });

describe('asana connector', () => {
  it('creates a task with assignee, due date and the key marker, once per key, and completes it with the decision', async () => {
    const connector = asana.create(config(), fast);
    const input = {
      taskKey: 'sub-1:legal',
      title: 'Legal review: Spring sale',
      assignee: 'lena@acme.example',
      dueAt: '2026-04-01T17:00:00+02:00',
      submissionId: 'sub-1',
      notes: 'Please review',
    };
    const seen = fake.requests.length; // the fake is shared by the file's tests: only this test's requests count
    const ref = await connector.createTask!(input);
    const again = await connector.createTask!(input);
    expect(again.remoteId).toBe(ref.remoteId);
    const task = fake.tasks.get(ref.remoteId)!;
    expect(task).toMatchObject({
      name: 'Legal review: Spring sale',
      assignee: 'lena@acme.example',
      due_at: '2026-04-01T15:00:00.000Z',
      projects: ['1200000000000001'],
    });
    expect(task.notes.split('\n')).toContain(taskMarker('sub-1:legal'));
    const posts = fake.requests.slice(seen).filter((r) => r.method === 'POST' && r.path === '/tasks');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.json).toMatchObject({
      data: { name: 'Legal review: Spring sale' },
    });
    await connector.closeTask!({ taskKey: 'sub-1:legal', remoteId: '' }, 'approved');
    expect(task.completed).toBe(true);
    expect(task.stories).toEqual(['Hubspoke decision: approved']);
    expect(ref.url).toMatch(/^https:\/\/app\.asana\.com\//);
  });

  it('finds the task again after a create whose answer was lost (paginating the project)', async () => {
    const connector = asana.create(config(), { ...fast, fetch: fake.fetch });
    for (let i = 0; i < 3; i++)
      await connector.createTask!({ taskKey: `filler-${i}`, title: `Filler ${i}`, submissionId: 's' });
    fake.inject({ kind: 'timeout', after: true, match: (r) => r.method === 'POST' && r.path === '/tasks' });
    const before = fake.tasks.size;
    const ref = await connector.createTask!({ taskKey: 'sub-2:brand', title: 'Brand review', submissionId: 'sub-2' });
    expect(fake.tasks.size).toBe(before + 1);
    expect(fake.tasks.get(ref.remoteId)!.name).toBe('Brand review');
    expect(fake.requests.filter((r) => r.path.endsWith('/tasks') && r.method === 'GET').length).toBeGreaterThan(1);
  });

  it('acts on workflow effects: createTask then closeTask by key', async () => {
    const store = createMemoryPublishStore();
    const connector = asana.create(config(), { ...fast, store });
    const created = await applyWorkflowEffect(connector, {
      type: 'createTask',
      taskKey: 'sub-3:legal',
      submissionId: 'sub-3',
      stageId: 'legal',
      assignee: 'lena@acme.example',
      title: 'Legal review',
    });
    expect(created.status).toBe('done');
    const closed = await applyWorkflowEffect(asana.create(config(), { ...fast, store }), {
      type: 'closeTask',
      taskKey: 'sub-3:legal',
      submissionId: 'sub-3',
      stageId: 'legal',
      outcome: 'rejected',
    });
    expect(closed.status).toBe('done');
    const unknown = await applyWorkflowEffect(connector, {
      type: 'closeTask',
      taskKey: 'never-made',
      submissionId: 's',
      stageId: 'x',
      outcome: 'approved',
    });
    expect(unknown).toMatchObject({ status: 'failed', error: { code: 'E_NOT_FOUND' } });
  });

  it('rejects bad tokens with E_AUTH and needs a project or workspace', async () => {
    expect(await asana.create(config('nope'), fast).check()).toMatchObject({ ok: false, details: { code: 'E_AUTH' } });
    await expect(
      asana.create({ accessToken: fake.token, baseUrl: fake.url }, fast).createTask!({
        taskKey: 'k',
        title: 't',
        submissionId: 's',
      }),
    ).rejects.toMatchObject({ code: 'E_VALIDATION' });
  });

  it('registers a webhook through the X-Hook-Secret handshake and verifies signed events', async () => {
    const receiver = createAsanaWebhookReceiver();
    const received: unknown[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const reply = receiver.handle({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        received.push(...reply.events);
        res.writeHead(reply.status, reply.headers).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/asana`;
    const { gid } = (await asana.create(config(), fast).actions.createWebhook!({
      resource: '1200000000000001',
      target,
    })) as { gid: string };
    expect(receiver.secret).toBe(fake.webhooks.get(gid)!.secret);
    expect(await fake.deliver(gid, [{ action: 'changed', resource: { gid: '1', resource_type: 'task' } }])).toBe(200);
    expect(await fake.deliver(gid, [{ action: 'forged' }], 'wrong-secret')).toBe(401);
    expect(received).toEqual([{ action: 'changed', resource: { gid: '1', resource_type: 'task' } }]);
    await expect(asana.create(config(), fast).actions.createWebhook!({ resource: 'x', target })).rejects.toMatchObject({
      code: 'E_VALIDATION',
    });
    await new Promise((r) => server.close(r));
  });
});

describeConformance('asana', {
  create: ({ credentials, ...runtime }) =>
    asana.create(config(credentials === 'valid' ? fake.token : 'bad-token'), { ...runtime, ...fast }),
  secrets: [fake.token],
  injectFault: (fault) =>
    fake.inject({ kind: fault === 'transient' ? 'http503' : fault === 'rate-limited' ? 'http429' : 'http400' }),
});
