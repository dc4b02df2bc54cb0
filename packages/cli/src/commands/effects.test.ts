import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { HubDatabase } from '@hubspoke/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runCli } from '../program.js';
import { memoryDatabase, tempProject } from '../test-helpers.js';

interface Entry {
  id: string;
  status: string;
  attempts: number;
  lastError?: string;
  effect: { type: string; submissionId: string };
}

let hub: string;
// The hub's state (the outbox of effects): one database for every command of this file.
let database: HubDatabase;
let slack: Server;
let status = 200;
const posts: { text: string }[] = [];

async function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    cwd: hub,
    env: { NO_COLOR: '1', ...env },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    database,
  });
  return { code, stdout, stderr };
}

const webhook = () => ({ SLACK_WEBHOOK_URL: `http://127.0.0.1:${String((slack.address() as AddressInfo).port)}/hook` });
const entries = async (state = 'pending') =>
  JSON.parse((await cli(['effects', '--status', state, '--json'])).stdout) as Entry[];

beforeAll(async () => {
  // A Slack incoming webhook on 127.0.0.1: answers "ok", or an error status when told to.
  slack = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (status !== 200) {
        res.writeHead(status, { 'content-type': 'text/plain' }).end('invalid_token');
        return;
      }
      posts.push({ text: body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
  hub = await tempProject();
  database = await memoryDatabase();
  expect((await cli(['init'])).code).toBe(0);
  expect((await cli(['submit', 'austin-store-opening', '--as', 'jo'])).code).toBe(0);
});

afterAll(async () => {
  await new Promise((resolve) => slack.close(resolve));
  await database.close();
});

describe('hubspoke effects', () => {
  it('lists what the submission queued: a review request and a task for each reviewer', async () => {
    const pending = await entries();
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((e) => e.effect.submissionId === 'austin-store-opening' && e.attempts === 0)).toBe(true);
    expect(new Set(pending.map((e) => e.effect.type))).toEqual(new Set(['notify', 'createTask']));
    const text = await cli(['effects']);
    expect(text.stdout).toContain('notify');
    expect(text.stdout).toContain('austin-store-opening#');
  });

  it('retries what the connector failed to deliver, gives up after --max-attempts, and requeues on request', async () => {
    status = 500;
    const pending = await entries();
    const failed = await cli(['effects', '--dispatch', '--connector', 'slack'], webhook());
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /austin-store-opening#\d+\.\d+ via slack: E_AUTH Slack incomingWebhook: invalid_token/,
    );
    // Slack cannot create tasks: they are not marked delivered, they wait for a connector that can.
    expect(failed.stderr).toMatch(/austin-store-opening#\d+\.\d+: no connector given can create tasks/);
    const retrying = await entries();
    expect(retrying.map((e) => e.id).sort()).toEqual(pending.map((e) => e.id).sort());
    expect(
      retrying
        .filter((e) => e.effect.type === 'notify')
        .every((e) => e.attempts === 1 && e.lastError?.includes('slack') === true),
    ).toBe(true);
    expect(
      retrying
        .filter((e) => e.effect.type === 'createTask')
        .every((e) => e.lastError?.includes('E_UNSUPPORTED') === true),
    ).toBe(true);
    expect(posts).toEqual([]);

    // Due again only after the backoff; a one-attempt budget sends them to the dead letters.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const gaveUp = await cli(['effects', '--dispatch', '--connector', 'slack', '--max-attempts', '1'], webhook());
    expect(gaveUp.code).toBe(1);
    const dead = await entries('dead');
    expect(dead.map((e) => e.id).sort()).toEqual(pending.map((e) => e.id).sort());
    expect(gaveUp.stderr).toContain(`${String(dead.length)} gave up for good: hubspoke effects --status dead`);
    // Only what died in a run is reported by it.
    expect((await cli(['effects', '--dispatch', '--connector', 'slack'], webhook())).stderr).not.toContain(
      'gave up for good',
    );
    const [first] = dead;
    expect((await cli(['effects', '--requeue', first?.id ?? ''])).stdout).toContain(`requeued ${first?.id ?? ''}`);
    expect((await entries('dead')).length).toBe(dead.length - 1);
  });

  it('delivers every due entry with the connectors and then has nothing pending', async () => {
    status = 200;
    for (const { id } of await entries('dead')) expect((await cli(['effects', '--requeue', id])).code).toBe(0);
    const before = await entries();
    expect(new Set(before.map((e) => e.effect.type))).toEqual(new Set(['notify', 'createTask']));
    // Slack for the messages, the fs exporter for the tasks.
    const sent = await cli(['effects', '--dispatch', '--connector', 'slack,fs', '--json'], webhook());
    expect(sent.code, sent.stderr).toBe(0);
    const report = JSON.parse(sent.stdout) as { dispatched: number; retried: number; dead: number };
    expect(report).toMatchObject({ dispatched: before.length, retried: 0, dead: 0 });
    expect(posts.length).toBe(before.filter((e) => e.effect.type === 'notify').length);
    expect(posts[0]?.text).toContain('austin-store-opening');
    expect(await readFile(path.join(hub, 'out/export/outbox/tasks.jsonl'), 'utf8')).toContain('"action":"create"');
    expect(await entries()).toEqual([]);
    expect((await entries('dispatched')).map((e) => e.id).sort()).toEqual(
      expect.arrayContaining(before.map((e) => e.id).sort()),
    );
    // Nothing is sent twice.
    const again = await cli(['effects', '--dispatch', '--connector', 'slack', '--json'], webhook());
    expect(JSON.parse(again.stdout)).toMatchObject({ dispatched: 0 });
    expect(posts.length).toBe(before.filter((e) => e.effect.type === 'notify').length);
  });

  it('marks done what no connector can perform only when told to (--drop-unsupported)', async () => {
    status = 200;
    // Sam approves: the workflow queues a closeTask and a notification.
    expect((await cli(['decide', 'austin-store-opening', 'approve', '--as', 'sam'])).code).toBe(0);
    const queued = await entries();
    expect(new Set(queued.map((e) => e.effect.type))).toEqual(new Set(['notify', 'closeTask']));
    const dropped = await cli(
      ['effects', '--dispatch', '--connector', 'slack', '--drop-unsupported', '--json'],
      webhook(),
    );
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(JSON.parse(dropped.stdout)).toMatchObject({
      dispatched: queued.length,
      dropped: queued.filter((e) => e.effect.type === 'closeTask').length,
    });
    expect(await entries()).toEqual([]);
  });

  it('says which options belong together, and refuses connectors that cannot deliver', async () => {
    const marketo = {
      MARKETO_BASE_URL: 'https://123-abc-456.mktorest.com',
      MARKETO_CLIENT_ID: 'id',
      MARKETO_CLIENT_SECRET: 'secret',
    };
    for (const args of [
      ['--dispatch'],
      ['--connector', 'slack'],
      ['--watch'],
      ['--drop-unsupported'],
      ['--status', 'sent'],
      ['--limit', '0'],
      ['--dispatch', '--connector', 'marketo'],
    ]) {
      const r = await cli(['effects', ...args], marketo);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^error E_USAGE: /);
    }
    const missing = await cli(['effects', '--dispatch', '--connector', 'slack']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('SLACK_WEBHOOK_URL');
    expect((await cli(['effects', '--requeue', 'no-such#1.0'])).code).not.toBe(0);
  });
});
