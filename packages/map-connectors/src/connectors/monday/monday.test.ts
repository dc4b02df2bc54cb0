import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeConformance, useFakeServer, guardContract } from '../../testkit/vitest.js';
import { fastTestRuntime } from '../../testkit/fixtures.js';
import { FakeMonday } from '../../testkit/fakes/monday.js';
import { mondayContract } from '../../testkit/contracts/vendors.js';
import { classifyMonday, mondayDate, monday } from './monday.js';

let fake: FakeMonday;
guardContract(() => fake);
beforeEach(async () => {
  fake = await new FakeMonday().start();
});
afterEach(async () => {
  await fake.close();
});
const fast = fastTestRuntime;
const config = (extra: Record<string, unknown> = {}) => ({
  apiToken: fake.token,
  boardId: '4242',
  groupId: 'topics',
  dateColumnId: 'date4',
  peopleColumnId: 'person',
  statusColumnId: 'status',
  keyColumnId: 'text_key',
  apiUrl: `${fake.url}/v2`,
  ...extra,
});

describe('monday connector', () => {
  it('closes a task with GraphQL documents the schema accepts (the old one declared an unused $board)', async () => {
    const connector = monday.create(config(), fast);
    const ref = await connector.createTask!({ taskKey: 'sub-9:brand', title: 'Review', submissionId: 'sub-9' });
    await connector.closeTask!(ref, 'approved');
    const update = fake.requests.find((r) => JSON.stringify(r.json).includes('create_update'))!;
    expect(mondayContract().check(update).violations).toEqual([]);
    const old = {
      query:
        'mutation ($board: ID!, $item: ID!, $body: String!) { create_update (item_id: $item, body: $body) { id } }',
      variables: { board: '1', item: ref.remoteId, body: 'Hubspoke decision: approved' },
    };
    expect(mondayContract().check({ ...update, body: JSON.stringify(old), json: old }).violations).toEqual([
      expect.objectContaining({ message: 'Variable "$board" is never used.' }),
    ]);
    expect([...fake.items.values()].find((i) => i.id === ref.remoteId)!.updates).toEqual([
      'Hubspoke decision: approved',
    ]);
  });

  it('creates an item with date, people and key columns as JSON strings, and closes it with a status and an update', async () => {
    const connector = monday.create(config(), fast);
    const ref = await connector.createTask!({
      taskKey: 'sub-1:legal',
      title: 'Legal review',
      assignee: 'lena@acme.example',
      dueAt: '2026-04-01T17:30:00+02:00',
      submissionId: 'sub-1',
    });
    const item = fake.items.get(ref.remoteId)!;
    expect(item).toMatchObject({ boardId: '4242', groupId: 'topics', name: 'Legal review' });
    expect(item.columns).toEqual({
      date4: { date: '2026-04-01', time: '15:30:00' },
      person: { personsAndTeams: [{ id: 77, kind: 'person' }] },
      text_key: 'sub-1:legal',
    });
    const create = fake.requests.find((r) => (r.json as { query?: string }).query?.includes('create_item') === true)!;
    expect(create.headers.authorization).toBe(fake.token);
    expect(create.headers['api-version']).toBe('2025-04');
    expect(typeof (create.json as { variables: { columns: unknown } }).variables.columns).toBe('string');
    await connector.closeTask!({ taskKey: 'sub-1:legal', remoteId: '' }, 'approved');
    expect(item.columns.status).toEqual({ label: 'Done' });
    expect(item.updates).toEqual(['Hubspoke decision: approved']);
  });

  it('runs one mutation at a time per board, even when many tasks are created at once', async () => {
    const connector = monday.create(config({ peopleColumnId: undefined }), fast);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        connector.createTask!({ taskKey: `k${i}`, title: `T${i}`, submissionId: 's' }),
      ),
    );
    expect(fake.items.size).toBe(8);
    expect(fake.overlappingMutations).toBe(0);
  });

  it('waits out COMPLEXITY_BUDGET_EXHAUSTED using retry_in_seconds', async () => {
    await fake.close();
    fake = await new FakeMonday('monday-token', { points: 20_000, windowMs: 600 }).start();
    const connector = monday.create(config({ peopleColumnId: undefined }), fast);
    for (let i = 0; i < 3; i++) await connector.createTask!({ taskKey: `c${i}`, title: `C${i}`, submissionId: 's' });
    expect(fake.items.size).toBe(3);
  }, 10_000);

  it('finds the item by its key column after a lost answer instead of creating a second', async () => {
    const connector = monday.create(config({ peopleColumnId: undefined }), fast);
    fake.inject({
      kind: 'reset',
      after: true,
      match: (r) => (r.json as { query?: string }).query?.includes('create_item') === true,
    });
    const ref = await connector.createTask!({ taskKey: 'sub-9:brand', title: 'Brand review', submissionId: 'sub-9' });
    expect(fake.items.size).toBe(1);
    expect(ref.remoteId).toBe([...fake.items.keys()][0]);
  });

  it('maps errors: bad token → E_AUTH, unknown board → E_NOT_FOUND, daily limit → E_RATE_LIMITED', async () => {
    expect(await monday.create(config({ apiToken: 'wrong' }), fast).check()).toMatchObject({
      ok: false,
      details: { code: 'E_AUTH' },
    });
    await expect(
      monday.create(config({ boardId: '1' }), fast).createTask!({ taskKey: 'x', title: 'x', submissionId: 's' }),
    ).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    expect(() => monday.create(config({ apiVersion: '2025-05' }))).toThrow(/apiVersion/);
  });

  it('classifies monday.com limit signals in both error formats', () => {
    const at = (body: unknown, status = 200) =>
      classifyMonday({ status, headers: new Headers(), body, request: { method: 'POST', url: '/v2', operation: 'x' } });
    expect(
      at({ errors: [{ message: 'Daily limit exceeded', extensions: { code: 'DAILY_LIMIT_EXCEEDED' } }] }),
    ).toMatchObject({ kind: 'rate-limited', final: true });
    expect(
      at({
        errors: [
          {
            message: 'Complexity budget exhausted',
            extensions: { code: 'COMPLEXITY_BUDGET_EXHAUSTED', retry_in_seconds: 7 },
          },
        ],
      }),
    ).toMatchObject({ kind: 'rate-limited', delayMs: 7000, pause: true });
    expect(
      at(
        {
          error_code: 'ComplexityException',
          status_code: 429,
          error_message:
            'Complexity budget exhausted, query cost 30001 budget remaining 19986 out of 1000000 reset in 3 seconds',
          errors: ['Complexity budget exhausted'],
        },
        429,
      ),
    ).toMatchObject({ kind: 'rate-limited', delayMs: 3000 });
    expect(
      at({
        errors: [{ message: 'User unauthorized to perform action', extensions: { code: 'UserUnauthorizedException' } }],
      }),
    ).toMatchObject({ kind: 'fail', code: 'E_AUTH' });
    expect(at({ data: { me: { id: '1' } } }).kind).toBe('ok');
  });

  it('formats dates in UTC', () => {
    expect(mondayDate('2026-12-31T23:30:00-02:00')).toEqual({ date: '2027-01-01', time: '01:30:00' });
  });
});

describe('monday conformance', () => {
  const shared = useFakeServer(new FakeMonday());
  describeConformance('monday', {
    create: ({ credentials, ...runtime }) =>
      monday.create(
        {
          apiToken: credentials === 'valid' ? shared.token : 'bad',
          boardId: '4242',
          keyColumnId: 'text_key',
          apiUrl: `${shared.url}/v2`,
        },
        { ...runtime, ...fast },
      ),
    secrets: [shared.token],
    injectFault: (fault) =>
      shared.inject({ kind: fault === 'transient' ? 'http503' : fault === 'rate-limited' ? 'http429' : 'http400' }),
  });
});
