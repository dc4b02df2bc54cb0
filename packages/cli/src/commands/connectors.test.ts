import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertContractClean, contractFor, FakeServer } from '@hubspoke/map-connectors/testkit';
import type { HubDatabase } from '@hubspoke/hub';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hubspoke, memoryDatabase, tempProject } from '../test-helpers.js';

// Connector commands against a fake Braze REST API on 127.0.0.1: credential checks, metric pulls
// and the rule that no pulled day is counted twice. The API key must never be printed. Every
// request the CLI makes is checked against the Braze contract the connector tests use (the
// testkit's), so this stub cannot accept a request Braze would refuse.

const KEY = 'braze-key-5ecret';
const env = { NO_COLOR: '1', BRAZE_API_KEY: KEY };
const DAY = 86_400_000;
let hub: string;
let fake: FakeServer;
// The hub's state (publish mappings, metric batches): one database for every command of this file.
let database: HubDatabase;
const run = (args: string[], extra: Record<string, string> = {}) =>
  hubspoke(args, { cwd: hub, env: { ...env, ...extra }, database });

/** Braze's templates list, campaigns/details and campaigns/data_series: one point per day, 1,000 sent each. */
function fakeBraze(): FakeServer {
  return new FakeServer({
    contract: contractFor('braze'),
    rejectResponse: (violations) => ({ status: 400, json: { message: violations.map((v) => v.message).join('; ') } }),
    gate: (req) =>
      req.headers.authorization === `Bearer ${KEY}` ? undefined : { status: 401, json: { message: 'Invalid API key' } },
  })
    .route('GET', '/templates/email/list', () => ({ json: { templates: [] } }))
    .route('GET', '/campaigns/details', () => ({
      // A campaign built in the dashboard: its email carries no pushed draft's marker.
      json: { name: 'Spring', messages: { v1: { channel: 'email', body: '<p>hand made</p>' } }, message: 'success' },
    }))
    .route('GET', '/campaigns/data_series', (req) => {
      const end = Date.parse(req.query.get('ending_at') ?? '');
      const days = Number(req.query.get('length'));
      const first = Math.floor(end / DAY) * DAY - (days - 1) * DAY;
      const data = Array.from({ length: days }, (_, i) => ({
        time: new Date(first + i * DAY).toISOString(),
        conversions: 5,
        revenue: 500,
        messages: {
          email: [
            {
              sent: 1000,
              delivered: 990,
              bounces: 10,
              opens: 600,
              unique_opens: 400,
              clicks: 50,
              unique_clicks: 40,
              unsubscribes: 2,
              reported_spam: 0,
            },
          ],
        },
      }));
      return { json: { data } };
    });
}

beforeAll(async () => {
  fake = await fakeBraze().start();
  database = await memoryDatabase();
  hub = await tempProject();
  expect((await hubspoke(['init'], { cwd: hub, env })).code).toBe(0);
  const file = path.join(hub, 'hubspoke.config.json');
  const config = JSON.parse(await readFile(file, 'utf8')) as { connectors: Record<string, unknown> };
  config.connectors.braze = {
    use: 'braze',
    config: { apiKey: '${BRAZE_API_KEY}', restEndpoint: fake.url },
  };
  await writeFile(file, JSON.stringify(config, null, 2));
}, 60_000);

afterEach(() => {
  assertContractClean(fake);
});

afterAll(async () => {
  await fake.close();
  await database.close();
});

describe('the Braze stub', () => {
  it('checks what it receives against the Braze contract', async () => {
    // A request Braze documents as invalid (data_series without its required length) is refused and recorded.
    const res = await fetch(`${fake.url}/campaigns/data_series?campaign_id=x`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(res.status).toBe(400);
    expect(fake.violations.splice(0)).toHaveLength(1);
    expect(fake.validated.size).toBeGreaterThan(0);
  });
});

describe('push --check', () => {
  it('says ok for good credentials', async () => {
    const r = await run(['push', '--check', '--connector', 'braze', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
  });

  it('fails refused credentials with E_AUTH (exit 4): one JSON document, one line, no key', async () => {
    const r = await run(['push', '--check', '--connector', 'braze', '--json'], { BRAZE_API_KEY: 'wrong-key-0000' });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'E_AUTH', exitCode: 4 } });
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(`${r.stdout}${r.stderr}`).not.toContain('wrong-key-0000');
  });
});

describe('metrics pull', () => {
  const pull = async (since: string, until: string) => {
    const r = await run([
      'metrics',
      'pull',
      '--connector',
      'braze',
      '--campaigns',
      'spring-1',
      '--since',
      since,
      '--until',
      until,
      '--group-by',
      'campaignId',
      '--json',
      '--as',
      'ana',
    ]);
    expect(`${r.stdout}${r.stderr}`).not.toContain(KEY);
    return r;
  };
  const rows = (stdout: string) => (JSON.parse(stdout) as { rows: number }).rows;

  it('pulls every day of an inclusive date range', async () => {
    const r = await pull('2026-04-01', '2026-04-10');
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { imported: number }).imported).toBe(10);
    expect(rows(r.stdout)).toBe(10);
  });

  it('replaces a pull of the same range, or of a range inside the new one, instead of counting it twice', async () => {
    const again = await pull('2026-04-01', '2026-04-10');
    expect(rows(again.stdout)).toBe(10);
    const month = await pull('2026-04-01', '2026-04-30');
    expect(rows(month.stdout)).toBe(30);
  });

  it('refuses a range that partly overlaps an earlier pull (exit 5) and keeps the data as it was', async () => {
    const r = await pull('2026-04-20', '2026-05-10');
    expect(r.code).toBe(5);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^error E_CONFLICT: metrics pull: .* overlaps the earlier pull of 2026-04-01T00:00:00\.000Z – 2026-04-30T23:59:59\.999Z from braze/,
    );
    const next = await pull('2026-05-01', '2026-05-10');
    expect(rows(next.stdout)).toBe(40);
  });
});
