import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HubDatabase } from '@hubspoke/hub';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { run as runCli } from '../program.js';
import { hubspoke, memoryDatabase, tempProject } from '../test-helpers.js';

const pgUrl = process.env.HUBSPOKE_TEST_PG_URL;
let hub: string;
// The hub's state, for every command of this file but those about the folder database itself.
let database: HubDatabase;
const env = { NO_COLOR: '1' };
const run = (args: string[], extra: Record<string, string> = {}) =>
  hubspoke(args, { cwd: hub, env: { ...env, ...extra }, database });

async function editJson(file: string, edit: (value: Record<string, unknown>) => void): Promise<void> {
  const value = JSON.parse(await readFile(path.join(hub, file), 'utf8')) as Record<string, unknown>;
  edit(value);
  await writeFile(path.join(hub, file), JSON.stringify(value, null, 2));
}

/** The slot values of the example draft's message module. */
function messageSlots(draft: Record<string, unknown>): Record<string, unknown> {
  const content = draft.content as Record<string, { slots: Record<string, Record<string, unknown>> }>;
  const slots = content['en-US']?.slots['message-1'];
  if (slots === undefined) throw new Error('the example draft has no message-1 slots');
  return slots;
}

beforeAll(async () => {
  hub = await tempProject();
  database = await memoryDatabase();
  const r = await hubspoke(['init'], { cwd: hub, env });
  expect(r.code).toBe(0);
});
afterAll(async () => {
  await database.close();
});

describe('init', () => {
  it('scaffolds a hub the other commands run on unchanged', async () => {
    for (const f of [
      'hubspoke.config.json',
      'brand/brand-kit.json',
      'templates/seasonal-newsletter.mjml',
      'templates/announcement.mjml',
      'workflow.json',
      'okrs.json',
      'drafts/austin-store-opening.json',
    ]) {
      expect(existsSync(path.join(hub, f)), f).toBe(true);
    }
    const again = await run(['init']);
    expect(again.code).toBe(5);
    expect(again.stderr.trim()).toMatch(/^error E_CONFLICT: init: hubspoke\.config\.json already exists \(hint: /);
  });

  it('has --help with examples for every command', async () => {
    for (const command of [
      'init',
      'lint',
      'render',
      'submit',
      'decide',
      'comment',
      'status',
      'due',
      'effects',
      'push',
      'metrics',
      'okr',
      'preview',
    ]) {
      let out = '';
      const sinkTo = { write: (s: string) => (out += s) };
      const code = await runCli([command, '--help'], { cwd: hub, env, stdout: sinkTo, stderr: sinkTo });
      expect(code, command).toBe(0);
      expect(out, command).toContain('Examples:\n  $ hubspoke');
    }
  });
});

describe('lint and render', () => {
  it('lints the scaffolded draft clean, as stylish and as SARIF', async () => {
    const r = await run(['lint']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('1 draft clean');
    const sarif = await run(['lint', '--format', 'sarif']);
    expect(sarif.code).toBe(0);
    expect((JSON.parse(sarif.stdout) as { version: string }).version).toBe('2.1.0');
  });

  it('exits 1 on errors, fixes what is safe, and adopts a baseline', async () => {
    await editJson('drafts/austin-store-opening.json', (d) => {
      const slots = messageSlots(d);
      Object.assign(slots, {
        headline: 'Cheap boots, Austin',
        cta: { href: 'http://northwind.example/stores/austin', text: 'Plan your visit' },
      });
    });
    const dirty = await run(['lint', '--format', 'json']);
    expect(dirty.code).toBe(1);
    const rules = (JSON.parse(dirty.stdout) as { diagnostics: { ruleId: string }[] }[]).flatMap((f) =>
      f.diagnostics.map((d) => d.ruleId),
    );
    expect(rules).toEqual(expect.arrayContaining(['brand/banned-term', 'brand/link-https']));
    const fixed = await run(['lint', '--fix', '--format', 'compact']);
    expect(fixed.stderr).toContain('fixed');
    const draft = await readFile(path.join(hub, 'drafts/austin-store-opening.json'), 'utf8');
    expect(draft).toContain('https://northwind.example/stores/austin');
    expect(fixed.code).toBe(1); // the banned term needs a person
    const baseline = await run(['lint', '--write-baseline', '.hubspoke/baseline.json']);
    expect(baseline.code).toBe(0);
    expect((await run(['lint', '--baseline', '.hubspoke/baseline.json'])).code).toBe(0);
    await editJson('drafts/austin-store-opening.json', (d) => {
      messageSlots(d).headline = 'Our Austin store is open';
    });
    expect((await run(['lint'])).code).toBe(0);
  });

  it('renders every locale × dialect with reports, and writes nothing on failure', async () => {
    const r = await run(['render', '--dialect', 'marketo,sfmc', '--json']);
    expect([0, 1]).toContain(r.code);
    const out = path.join(hub, 'out/render/austin-store-opening');
    expect((await readdir(path.join(out, 'en-US'))).sort()).toEqual([
      'marketo.html',
      'marketo.txt',
      'sfmc.html',
      'sfmc.txt',
    ]);
    const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as {
      renders: { dialect: string; bytes: number; accessibility: unknown[] }[];
    };
    expect(report.renders.map((x) => x.dialect)).toEqual(['marketo', 'sfmc']);
    expect(report.renders[0]?.bytes).toBeGreaterThan(1000);
    expect(await readFile(path.join(out, 'en-US/sfmc.html'), 'utf8')).toContain('%%');

    const bad = await run(['render', '--dialect', 'mailchimp', '--out', 'out/bad']);
    expect(bad.code).toBe(2);
    expect(existsSync(path.join(hub, 'out/bad'))).toBe(false);
  });

  it('replaces only the folders of the drafts it renders', async () => {
    const other = path.join(hub, 'out/render/old-campaign');
    await mkdir(other, { recursive: true });
    await writeFile(path.join(other, 'report.json'), '{}');
    const r = await run(['render', 'austin-store-opening', '--dialect', 'braze']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(other, 'report.json'))).toBe(true);
    expect((await readdir(path.join(hub, 'out/render/austin-store-opening/en-US'))).sort()).toEqual([
      'braze.html',
      'braze.txt',
    ]);
    expect((await readdir(path.join(hub, 'out/render'))).filter((f) => f.includes('staging'))).toEqual([]);
  });
});

describe('review, push, metrics and OKRs', () => {
  it('runs a submission through the workflow with role checks', async () => {
    const submit = await run(['submit', 'austin-store-opening', '--as', 'jo', '--json']);
    expect(submit.code).toBe(0);
    const result = JSON.parse(submit.stdout) as { status: string; stages: { id: string; status: string }[] };
    expect(result.stages.map((s) => s.status)).toEqual(['skipped', 'skipped', 'active']);

    const self = await run(['decide', 'austin-store-opening', 'approve', '--as', 'jo']);
    expect(self.code).toBe(4);
    expect(self.stderr.trim().split('\n')).toHaveLength(1);

    const pushEarly = await run(['push', 'austin-store-opening', '--as', 'jo']);
    expect(pushEarly.code).toBe(4);
    expect(pushEarly.stderr).toContain('not approved');

    const comment = await run([
      'comment',
      'austin-store-opening',
      'Lovely headline',
      '--as',
      'sam',
      '--slot',
      'message-1/headline',
      '--locale',
      'en-US',
    ]);
    expect(comment.stderr).toContain('comment c-1 recorded on austin-store-opening');
    expect(
      (await run(['comment', 'austin-store-opening', 'Thanks!', '--as', 'jo', '--reply-to', 'c-1'])).stderr,
    ).toContain('comment c-2 recorded');
    const resolved = await run(['comment', 'austin-store-opening', '--resolve', 'c-1', '--as', 'sam', '--json']);
    expect(resolved.code, resolved.stderr).toBe(0);
    const approve = await run(['decide', 'austin-store-opening', 'approve', '--as', 'sam', '--json']);
    expect(approve.code).toBe(0);
    expect((JSON.parse(approve.stdout) as { status: string }).status).toBe('approved');

    const status = await run(['status', '--as', 'hana']);
    expect(status.stdout).toMatch(/austin-store-opening\s+approved/);
  });

  it('pushes idempotently to the fs exporter, and dry-runs without writing', async () => {
    const first = await run(['push', 'austin-store-opening', '--as', 'jo', '--json']);
    expect(first.code).toBe(0);
    const a = JSON.parse(first.stdout) as { items: { ok: boolean; result: { created: boolean; remoteId: string } }[] };
    const second = JSON.parse((await run(['push', 'austin-store-opening', '--as', 'jo', '--json'])).stdout) as typeof a;
    expect(a.items[0]?.result.created).toBe(true);
    expect(second.items[0]?.result.created).toBe(false);
    expect(second.items[0]?.result.remoteId).toBe(a.items[0]?.result.remoteId);
    expect(existsSync(path.join(hub, 'out/export/austin-store-opening/v1/en-US/email.html'))).toBe(true);
    const dry = await run(['push', 'austin-store-opening', '--as', 'jo', '--dry-run', '--json']);
    expect((JSON.parse(dry.stdout) as { dryRun: boolean; requests: unknown[] }).requests.length).toBeGreaterThan(0);
  });

  it('dry-runs a platform push without printing its credentials', async () => {
    const secrets = {
      MARKETO_BASE_URL: 'https://123-abc-456.mktorest.com',
      MARKETO_CLIENT_ID: 'client-id-7f3a',
      MARKETO_CLIENT_SECRET: 'client-secret-9c1e',
    };
    for (const json of [true, false]) {
      const r = await run(
        [
          'push',
          'austin-store-opening',
          '--connector',
          'marketo',
          '--as',
          'jo',
          '--dry-run',
          ...(json ? ['--json'] : []),
        ],
        secrets,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('mktorest.com');
      expect(`${r.stdout}${r.stderr}`).not.toContain('client-id-7f3a');
      expect(`${r.stdout}${r.stderr}`).not.toContain('client-secret-9c1e');
    }
  });

  it('exits 1 when an item of a push fails, reporting each item', async () => {
    await writeFile(path.join(hub, 'not-a-folder'), '');
    await editJson('hubspoke.config.json', (c) => {
      (c.connectors as Record<string, unknown>).blocked = { use: 'fs', config: { outDir: 'not-a-folder' } };
    });
    const r = await run(['push', 'austin-store-opening', '--connector', 'blocked', '--as', 'jo', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, items: [{ locale: 'en-US', ok: false }] });
  });

  it('says which credential is missing, in one line, without leaking values', async () => {
    const r = await run(['push', '--check', '--connector', 'marketo'], {
      MARKETO_CLIENT_ID: 'id-123',
      MARKETO_BASE_URL: 'https://123-abc-456.mktorest.com',
    });
    expect(r.code).toBe(4);
    expect(r.stderr.trim()).toBe(
      'error E_AUTH: connectors.marketo.config.clientSecret: environment variable MARKETO_CLIENT_SECRET is not set (hint: export MARKETO_CLIENT_SECRET=… (the value is a secret; it is never printed))',
    );
    expect(r.stderr).not.toContain('id-123');
  });

  it('imports metrics, adds check-ins to bound key results, and reports OKRs', async () => {
    const csv = [
      'campaignId,date,region,sent,delivered,uniqueOpens,totalOpens,uniqueClicks,totalClicks,conversions,revenue,cost,currency',
      'austin-store-opening,2026-04-07,NA,10000,9800,4000,6000,400,520,90,9000,1000,USD',
      'berlin-spring,2026-04-07,EMEA,8000,7900,3000,4500,240,300,40,4200,900,EUR',
    ].join('\n');
    await writeFile(path.join(hub, 'april.csv'), csv);
    const r = await run(['metrics', 'import', 'april.csv', '--as', 'ana']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('| NA |');
    const okrs = JSON.parse(await readFile(path.join(hub, 'okrs.json'), 'utf8')) as {
      objectives: { keyResults: { id: string; checkIns: { source: string; value: number }[] }[] }[];
    };
    const naCtr = okrs.objectives.flatMap((o) => o.keyResults).find((k) => k.id === 'na-ctr');
    expect(naCtr?.checkIns.at(-1)).toMatchObject({ source: 'metrics' });
    expect(naCtr?.checkIns.at(-1)?.value).toBeCloseTo(4.0816, 3);
    const again = await run(['metrics', 'import', 'april.csv', '--as', 'ana']);
    expect(again.code).toBe(0);
    const okrsAgain = JSON.parse(await readFile(path.join(hub, 'okrs.json'), 'utf8')) as typeof okrs;
    expect(okrsAgain.objectives.flatMap((o) => o.keyResults).find((k) => k.id === 'na-ctr')?.checkIns).toHaveLength(
      naCtr?.checkIns.length ?? -1,
    );

    const md = await run(['okr', 'report', '--as-of', '2026-04-30']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('# OKR report: Q2 2026');
    const svg = await run(['okr', 'report', '--format', 'svg', '--out', 'out/okrs.svg', '--as-of', '2026-04-30']);
    expect(svg.code).toBe(0);
    expect(await readFile(path.join(hub, 'out/okrs.svg'), 'utf8')).toMatch(/^<svg/);

    await writeFile(path.join(hub, 'bad.csv'), 'campaignId,date,sent,delivered,uniqueClicks\nx,2026-04-07,10,5,9\n');
    await mkdir(path.join(hub, 'may'), { recursive: true });
    await writeFile(path.join(hub, 'may/april.csv'), csv.replaceAll('2026-04-07', '2026-05-05'));
    // a good file and a bad one: neither is imported
    const bad = await run(['metrics', 'import', 'may/april.csv', 'bad.csv', '--as', 'ana']);
    expect(bad.code).toBe(3);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('bad.csv');

    // a file of the same name in another folder is another source, not a replacement
    const both = await run(['metrics', 'import', 'may/april.csv', '--json', '--as', 'ana']);
    expect(both.code, both.stderr).toBe(0);
    expect((JSON.parse(both.stdout) as { rows: number }).rows).toBe(4);
  });
});

describe('bad setups get one clear line and a non-zero exit', () => {
  it('bad config', async () => {
    const dir = await tempProject({
      'hubspoke.config.json': JSON.stringify({ brandKit: 'b.json', workflow: 'w.json', operatingModel: 7 }),
    });
    const r = await hubspoke(['lint'], { cwd: dir, env });
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error E_VALIDATION: Invalid config: config\.operatingModel/);
  });

  it('no config at all', async () => {
    const dir = await tempProject();
    const r = await hubspoke(['lint'], { cwd: dir, env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('hubspoke init');
  });

  it('stack traces only with --debug', async () => {
    const dir = await tempProject({ 'hubspoke.config.json': '{ nope' });
    const plain = await hubspoke(['lint'], { cwd: dir, env });
    expect(plain.stderr).not.toContain('    at ');
    const debug = await hubspoke(['lint', '--debug'], { cwd: dir, env });
    expect(debug.stderr).toContain('    at ');
  });

  it('Ctrl-C stops render and lint between steps with exit 130, writing nothing', async () => {
    const interrupted = new AbortController();
    interrupted.abort();
    for (const args of [
      ['render', '--out', 'out/interrupted'],
      ['lint', '--fix'],
    ]) {
      let err = '';
      const code = await runCli(args, {
        cwd: hub,
        env,
        stdout: { write: () => true },
        stderr: { write: (s: string) => (err += s) },
        signal: interrupted.signal,
      });
      expect(code, args[0]).toBe(130);
      expect(err.trim()).toMatch(/^error E_ABORTED: interrupted \(Ctrl-C\)/);
    }
    expect(existsSync(path.join(hub, 'out/interrupted'))).toBe(false);
  });

  it('unknown command', async () => {
    const r = await run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^error E_USAGE: unknown command 'frobnicate' \(hint: /);
  });

  it('a database locked by another process', async () => {
    // The hub folder's own database (.hubspoke/approvals), not this file's shared one.
    const folderDb = (args: string[]) => hubspoke(args, { cwd: hub, env });
    await mkdir(path.join(hub, '.hubspoke'), { recursive: true });
    await writeFile(path.join(hub, '.hubspoke/approvals.lock'), String(process.pid));
    try {
      const r = await folderDb(['status', '--as', 'hana']);
      expect(r.code).toBe(5);
      expect(r.stderr.trim()).toMatch(
        /^error E_CONFLICT: database .*approvals is locked by another hubspoke process \(pid \d+\)/,
      );
    } finally {
      await writeFile(path.join(hub, '.hubspoke/approvals.lock'), '999999999');
    }
    // a stale lock (its process is gone) is cleared
    expect((await folderDb(['status', '--as', 'hana'])).code).toBe(0);
  });

  it('an unreachable database', async () => {
    const r = await run(['status', '--as', 'hana', '--database-url', 'postgres://hub:secret-pw@127.0.0.1:9/hub']);
    expect(r.code).toBe(6);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error E_UPSTREAM:/);
    expect(r.stderr).not.toContain('secret-pw');
  });

  it.skipIf(pgUrl === undefined)('a PostgreSQL server with --database-url (needs HUBSPOKE_TEST_PG_URL)', async () => {
    const r = await run(['status', '--as', 'hana', '--database-url', pgUrl ?? '']);
    expect(r.code).toBe(0);
  });
});

describe('review rounds', () => {
  it('routes a locale added after approval to legal review, and names the latest submission by the draft id', async () => {
    const own = await tempProject();
    const ownDatabase = await memoryDatabase();
    onTestFinished(() => ownDatabase.close());
    const at = (args: string[]) => hubspoke(args, { cwd: own, env, database: ownDatabase });
    expect((await at(['init'])).code).toBe(0);
    expect((await at(['submit', 'austin-store-opening', '--as', 'jo'])).code).toBe(0);
    expect((await at(['decide', 'austin-store-opening', 'approve', '--as', 'sam'])).code).toBe(0);
    const file = path.join(own, 'drafts/austin-store-opening.json');
    const draft = JSON.parse(await readFile(file, 'utf8')) as { content: Record<string, unknown> };
    draft.content['de-DE'] = {
      subject: 'Unser Laden in Austin ist eröffnet',
      slots: { 'message-1': { headline: 'Unser Laden in Austin ist eröffnet' } },
    };
    await writeFile(file, JSON.stringify(draft, null, 2));
    const again = await at(['submit', 'austin-store-opening', '--as', 'jo', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      submissionId: 'austin-store-opening-2',
      stages: [
        { id: 'brand', status: 'skipped' },
        { id: 'legal', status: 'active' },
        { id: 'regional', status: 'pending' },
      ],
    });
    const status = JSON.parse((await at(['status', 'austin-store-opening', '--as', 'hana', '--json'])).stdout) as {
      streamId: string;
      facts: { newLocales: string[] };
    };
    expect(status).toMatchObject({ streamId: 'austin-store-opening-2', facts: { newLocales: ['de-DE'] } });

    // The list pages: --limit and --offset, with a pointer to the next page.
    const ids = async (args: string[]) =>
      (JSON.parse((await at(['status', '--as', 'hana', '--json', ...args])).stdout) as { submissionId: string }[]).map(
        (x) => x.submissionId,
      );
    const all = await ids([]);
    expect(all.sort()).toEqual(['austin-store-opening', 'austin-store-opening-2']);
    const [first, second] = [await ids(['--limit', '1']), await ids(['--limit', '1', '--offset', '1'])];
    expect([...first, ...second].sort()).toEqual(all);
    expect(await ids(['--offset', '2'])).toEqual([]);
    const paged = await at(['status', '--as', 'hana', '--limit', '1']);
    expect(paged.stdout.trim().split('\n')).toHaveLength(1);
    expect(paged.stderr).toContain('more submissions follow: add --offset 1');
    expect((await at(['status', '--as', 'hana', '--limit', '2'])).stderr).not.toContain('more submissions follow');
    for (const bad of [
      ['--limit', '0'],
      ['--limit', 'ten'],
      ['--offset', '-1'],
    ]) {
      const r = await at(['status', '--as', 'hana', ...bad]);
      expect(r.code, bad.join(' ')).toBe(2);
    }
  });
});
