import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HubDatabase } from '@hubspoke/hub';
import { describe, expect, it, onTestFinished } from 'vitest';
import { run } from '../program.js';
import { memoryDatabase, tempProject } from '../test-helpers.js';
import { commands } from './index.js';

// Every example in `hubspoke <command> --help` is run, word for word, on a fresh `hubspoke init`,
// in an order that makes sense for a hub (a few setup steps in between are marked as such).

const chromium = process.env.HUBSPOKE_TEST_CHROMIUM;
const MARKETO = {
  MARKETO_BASE_URL: 'https://123-abc-456.mktorest.com',
  MARKETO_CLIENT_ID: 'client-id',
  MARKETO_CLIENT_SECRET: 'client-secret',
};

interface Step {
  line: string;
  env?: Record<string, string>;
  /** Expected exit code (default 0). */
  code?: number;
  /** Not an example: a step that puts the hub in the state the next example needs. */
  setup?: true;
  /** A long-running command (preview): stop it once it printed this. */
  stopAfter?: string;
  /** Files to write (relative to the hub) before the step runs. */
  files?: Record<string, string>;
}

const EMAIL = `<mjml>
  <mj-head><mj-title>May news</mj-title></mj-head>
  <mj-body>
    <mj-section><mj-column><mj-image src="https://cdn.northwind.example/logo.png" alt="Northwind logo" width="120px" /></mj-column></mj-section>
    <mj-section><mj-column><mj-text><h1>Trails for May</h1></mj-text><mj-button href="https://northwind.example/may">Read</mj-button></mj-column></mj-section>
    <mj-section><mj-column><mj-text font-size="11px"><a href="https://northwind.example/unsubscribe">Unsubscribe</a></mj-text></mj-column></mj-section>
  </mj-body>
</mjml>
`;

const steps: Step[] = [
  { line: 'hubspoke init' },
  { line: 'hubspoke init my-hub' },
  { line: 'hubspoke init --force   # overwrite an existing hub' },
  { line: 'hubspoke lint' },
  { line: 'hubspoke lint drafts/austin-store-opening.json --format compact' },
  { line: 'hubspoke lint --fix' },
  { line: 'hubspoke lint --format sarif > lint.sarif' },
  { line: 'hubspoke lint --write-baseline .hubspoke/baseline.json   # adopt on existing content' },
  { line: 'hubspoke lint --baseline .hubspoke/baseline.json         # fail only on new violations' },
  { line: 'hubspoke render' },
  { line: 'hubspoke render drafts/austin-store-opening.json --dialect marketo,sfmc' },
  { line: 'hubspoke render --dialect braze --locale en-US --out out/braze' },
  { line: 'hubspoke assist subject austin-store-opening --count 3 --tone friendly' },
  { line: 'hubspoke assist preheader austin-store-opening' },
  { line: 'hubspoke assist alt-text austin-store-opening' },
  { line: 'hubspoke assist translate austin-store-opening --to de-DE   # prints it; --write saves it to the draft' },
  { line: 'hubspoke submit austin-store-opening --as jo' },
  {
    line: 'hubspoke comment austin-store-opening "Add the opening hours" --as sam --slot message-1/body --locale en-US',
  },
  { line: 'hubspoke comment austin-store-opening "Done" --as jo --reply-to c-1' },
  { line: 'hubspoke comment austin-store-opening --resolve c-1 --as sam' },
  { line: 'hubspoke status --as hana' },
  { line: 'hubspoke status austin-store-opening --as jo' },
  { line: 'hubspoke status --as sam --mine --json' },
  { line: 'hubspoke due' },
  { line: 'hubspoke due --now 2026-05-04T09:00:00Z --json' },
  { line: 'hubspoke effects                                  # what is waiting to be delivered' },
  { line: 'hubspoke effects --dispatch --connector fs        # append them to out/export/outbox/*.jsonl' },
  { line: 'hubspoke effects --status dispatched --limit 5' },
  // Without the variable the connector says which one is missing (with it, it would post to Slack).
  { line: 'hubspoke effects --dispatch --connector slack     # needs SLACK_WEBHOOK_URL', code: 4 },
  { line: 'hubspoke decide austin-store-opening request-changes --as sam --reason "Add the opening hours"' },
  { line: 'hubspoke submit drafts/austin-store-opening.json --as jo --json   # resubmit after changes were requested' },
  { line: 'hubspoke decide austin-store-opening approve --as sam' },
  { line: 'hubspoke push austin-store-opening --as jo             # to the default connector (fs export)' },
  {
    line: 'hubspoke push austin-store-opening --connector marketo --as jo --dry-run   # needs the MARKETO_* variables',
    env: MARKETO,
  },
  // Without the variables the check says which one is missing (with them it would call Marketo).
  { line: 'hubspoke push --check --connector marketo              # verify credentials only', code: 4 },
  // Without SMTP_HOST the test connector says so, before anything is pushed.
  {
    line: 'hubspoke push austin-store-opening --test-send na-qa --test-connector smtp --as jo   # then a test send; needs SMTP_HOST',
    code: 4,
  },
  { line: 'hubspoke submit austin-store-opening --as jo', setup: true },
  { line: 'hubspoke decide austin-store-opening withdraw --as jo' },
  { line: 'hubspoke submit austin-store-opening --as jo', setup: true },
  { line: 'hubspoke decide austin-store-opening force-approve --as hana --reason "Launch signed off in ticket 123"' },
  { line: 'hubspoke metrics import metrics/sample.csv --as ana' },
  { line: 'hubspoke metrics import metrics/*.csv --group-by region,campaignId --skip-invalid --as ana' },
  {
    line: 'hubspoke metrics pull --connector marketo --since 2026-04-01 --until 2026-04-30 --as ana   # needs the MARKETO_* variables',
    code: 4,
  },
  { line: 'hubspoke okr report' },
  { line: 'hubspoke okr report --format svg --out out/okrs.svg' },
  { line: 'hubspoke okr report --region EMEA --as-of 2026-05-15 --format json' },
  { line: 'hubspoke draft upgrade austin-store-opening --as jo             # to the newest version of its template' },
  // The scaffolded hub has only version 1 of each template.
  {
    line: 'hubspoke draft upgrade austin-store-opening --to 2 --dry-run --as jo   # what would change, once version 2 exists',
    code: 3,
  },
  {
    line: 'hubspoke template import emails/may-newsletter.mjml --as hana          # writes templates/may-newsletter.mjml',
    files: { 'emails/may-newsletter.mjml': EMAIL },
  },
  {
    line: 'hubspoke template import old/promo.mjml --id spring-promo --dry-run --as hana',
    files: { 'old/promo.mjml': EMAIL },
  },
  {
    line: 'hubspoke hub import . --as hana                       # this folder into its database (.hubspoke/approvals)',
  },
  // No such server here: the database is unavailable (exit 6).
  { line: 'hubspoke hub import . --database-url postgres://hub@db.example/hub --as hana', code: 6 },
  { line: 'hubspoke hub export exported-hub                      # the database as files, for git' },
  {
    line: 'hubspoke serve --dev --port 0   # after `hub import`: sign in as anyone in the directory, on a free port',
    stopAfter: '"listening"',
  },
  // The scaffolded config has no identity section: nobody could sign in (usage, exit 2).
  {
    line: 'hubspoke serve --database-url postgres://hub@db.example/hub --host 0.0.0.0 --public-url https://hub.example.com',
    code: 2,
  },
  { line: 'hubspoke preview austin-store-opening', stopAfter: 'Preview of' },
  {
    line: 'hubspoke preview austin-store-opening --as sam    # with the review panel for Sam',
    stopAfter: 'Preview of',
  },
  ...(chromium === undefined
    ? []
    : [{ line: 'hubspoke preview austin-store-opening --screenshot out/shots', env: { HUBSPOKE_CHROMIUM: chromium } }]),
];

/** The words of a shell line: quotes, a trailing `# comment`, `> file` and `dir/*.ext` globs. */
async function words(line: string, cwd: string): Promise<{ args: string[]; redirect?: string }> {
  const tokens = [...line.replace(/\s+#.*$/, '').matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
  const redirectAt = tokens.indexOf('>');
  const redirect = redirectAt === -1 ? undefined : tokens[redirectAt + 1];
  const args: string[] = [];
  for (const token of (redirectAt === -1 ? tokens : tokens.slice(0, redirectAt)).slice(1)) {
    const glob = /^(.*)\/\*(\.\w+)$/.exec(token);
    if (glob?.[1] === undefined) {
      args.push(token);
      continue;
    }
    const [dir, ext] = [glob[1], glob[2] ?? ''];
    args.push(
      ...(await readdir(path.join(cwd, dir)))
        .filter((f) => f.endsWith(ext))
        .sort()
        .map((f) => `${dir}/${f}`),
    );
  }
  return { args, ...(redirect === undefined ? {} : { redirect }) };
}

async function runStep(
  step: Step,
  hub: string,
  database: HubDatabase,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const cwd = hub;
  for (const [file, text] of Object.entries(step.files ?? {})) {
    await mkdir(path.dirname(path.join(cwd, file)), { recursive: true });
    await writeFile(path.join(cwd, file), text);
  }
  const { args, redirect } = await words(step.line, cwd);
  let stdout = '';
  let stderr = '';
  const controller = new AbortController();
  const out = {
    write: (s: string) => {
      stdout += s;
      if (step.stopAfter !== undefined && stdout.includes(step.stopAfter)) controller.abort();
    },
  };
  const code = await run(args, {
    cwd,
    env: { NO_COLOR: '1', ...step.env },
    stdout: out,
    stderr: { write: (s: string) => (stderr += s) },
    signal: controller.signal,
    database,
  });
  if (redirect !== undefined) await writeFile(path.join(cwd, redirect), stdout);
  return { code, stdout, stderr };
}

describe('--help examples', () => {
  it('are all in this walk-through', () => {
    const walked = new Set(steps.filter((s) => s.setup !== true).map((s) => s.line));
    const examples = commands
      .flatMap((c) => c.examples)
      .filter((e) => chromium !== undefined || !e.includes('--screenshot'));
    expect(examples.filter((e) => !walked.has(e))).toEqual([]);
    expect([...walked].filter((e) => !examples.includes(e))).toEqual([]);
  });

  it('each run on a fresh hub, with the exit code they document', async () => {
    const hub = await tempProject();
    // One database for the walk-through, in memory, instead of the hub folder's opened again by each
    // command (the folder database has tests of its own: commands.test.ts, failures.test.ts).
    const database = await memoryDatabase();
    onTestFinished(() => database.close());
    for (const step of steps) {
      const r = await runStep(step, hub, database);
      expect(r.code, `${step.line}\n${r.stderr}`).toBe(step.code ?? 0);
      if (step.code !== undefined) expect(r.stderr.trim().split('\n'), step.line).toHaveLength(1);
    }
    expect(await readdir(path.join(hub, 'my-hub'))).toContain('hubspoke.config.json');
    expect(await readdir(path.join(hub, 'out/braze/austin-store-opening/en-US'))).toEqual(['braze.html', 'braze.txt']);
    expect(JSON.parse(await readFile(path.join(hub, 'lint.sarif'), 'utf8'))).toMatchObject({ version: '2.1.0' });
    // The fs connector delivered the review requests and tasks the first submission queued.
    expect(await readFile(path.join(hub, 'out/export/outbox/notifications.jsonl'), 'utf8')).toContain(
      'austin-store-opening',
    );
    expect(await readFile(path.join(hub, 'out/export/outbox/tasks.jsonl'), 'utf8')).toContain('"action":"create"');
  });
});
