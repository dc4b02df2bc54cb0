import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { BIN, hubspoke, memoryDatabase, tempProject } from '../test-helpers.js';

// Failure paths of the built binary: each is one clear line with a documented exit code (never
// E_INTERNAL), and leaves no partial output behind.

const pgUrl = process.env.HUBSPOKE_TEST_PG_URL;
const env = { NO_COLOR: '1' };
let hub: string;
const run = (args: string[], extra: Record<string, string> = {}) =>
  hubspoke(args, { cwd: hub, env: { ...env, ...extra } });

function oneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

/** Every file and folder under `dir` (relative), to see that nothing was left behind. */
async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

beforeAll(async () => {
  hub = await tempProject();
  expect((await hubspoke(['init'], { cwd: hub, env })).code).toBe(0);
  await writeFile(path.join(hub, 'blocker'), 'a file where a folder is expected\n');
});

describe('paths that cannot be written', () => {
  it('are E_VALIDATION (exit 3) naming the path, and nothing is left behind', async () => {
    const before = await tree(hub);
    const attempts = [
      ['render', '--out', 'blocker/renders'],
      ['okr', 'report', '--out', 'blocker/okrs.md'],
      ['lint', '--write-baseline', 'blocker/baseline.json'],
      ['init', 'blocker/hub'],
      ['status', '--as', 'hana', '--database-url', 'blocker/db'],
    ];
    for (const args of attempts) {
      const r = await run(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(3);
      oneLine(
        r.stderr,
        /^error E_VALIDATION: cannot (write|open the database folder) .*blocker.*a file is in the way of a folder/,
      );
    }
    expect(await tree(hub)).toEqual(before);
  });
});

describe('database URLs', () => {
  it('refuses schemes other than postgres:// instead of making a folder named after them', async () => {
    const r = await run(['status', '--as', 'hana', '--database-url', 'mysql://root:pw@localhost/hub']);
    expect(r.code).toBe(3);
    oneLine(r.stderr, /^error E_VALIDATION: database URL: mysql:\/\/ is not supported \(hint: /);
    expect(existsSync(path.join(hub, 'mysql:'))).toBe(false);
  });

  it('refuses to make the embedded database in a folder that holds other files', async () => {
    const before = await tree(hub);
    for (const folder of ['.', 'brand']) {
      const r = await run(['status', '--as', 'hana', '--database-url', folder]);
      expect(r.code, r.stderr).toBe(3);
      oneLine(r.stderr, /^error E_VALIDATION: database folder .* holds other files .*, not a database \(hint: /);
    }
    expect(await tree(hub)).toEqual(before);
  });

  it('refuses a malformed PostgreSQL URL without printing its password', async () => {
    const r = await run(['status', '--as', 'hana', '--database-url', 'postgres://hub:pa55word@[::1/hub']);
    expect(r.code).toBe(3);
    oneLine(r.stderr, /^error E_VALIDATION: database URL postgres:\/\/hub:\*\*\*@/);
    expect(r.stderr).not.toContain('pa55word');
  });

  it('reads ${ENV} in database.url, and names a missing variable without a value', async () => {
    const own = await tempProject();
    expect((await hubspoke(['init'], { cwd: own, env })).code).toBe(0);
    const file = path.join(own, 'hubspoke.config.json');
    await writeFile(
      file,
      JSON.stringify({ ...(JSON.parse(await readFile(file, 'utf8')) as object), database: { url: '${HUB_STATE}' } }),
    );
    const ok = await hubspoke(['status', '--as', 'hana'], { cwd: own, env: { ...env, HUB_STATE: 'state/approvals' } });
    expect(ok.code, ok.stderr).toBe(0);
    expect(existsSync(path.join(own, 'state/approvals'))).toBe(true);
    const missing = await hubspoke(['status', '--as', 'hana'], { cwd: own, env });
    expect(missing.code).toBe(4);
    oneLine(missing.stderr, /^error E_AUTH: config\.database\.url: environment variable HUB_STATE is not set/);
  });

  it.skipIf(pgUrl === undefined)(
    'says the database refused the credentials, with a hint about the URL, not about connectors (needs HUBSPOKE_TEST_PG_URL)',
    async () => {
      const url = new URL(pgUrl ?? '');
      url.password = 'not-the-password';
      const r = await run(['status', '--as', 'hana', '--database-url', url.toString()]);
      expect(r.code).toBe(4);
      oneLine(
        r.stderr,
        /^error E_AUTH: The approval database refused the credentials .*\(hint: check the user and password in the database URL/,
      );
      expect(r.stderr).not.toContain('not-the-password');
    },
  );
});

describe('usage is checked before any work', () => {
  it('answers bad options with exit 2, even when the database is locked', async () => {
    const lock = path.join(hub, '.hubspoke/approvals.lock');
    await mkdir(path.dirname(lock), { recursive: true });
    await writeFile(lock, String(process.pid));
    try {
      const cases = [
        ['decide', 'austin-store-opening', 'frobnicate', '--as', 'sam'],
        ['comment', 'austin-store-opening', 'Hours?', '--as', 'sam', '--locale', 'en-US'],
        ['comment', 'austin-store-opening', 'Hours?', '--as', 'sam', '--slot', 'message-1/body/extra'],
        ['status', '--as', 'sam', '--status', 'pending'],
        ['due', '--now', 'tomorrow'],
        ['preview', 'austin-store-opening', '--port', '99999'],
        ['metrics', 'pull', '--since', 'last week'],
        ['metrics', 'pull', '--since', '2026-05-01', '--until', '2026-04-01'],
        ['metrics', 'import', 'metrics/sample.csv', '--format', 'xlsx'],
        ['render', '--locale', 'xx-XX'],
        ['okr', 'report', '--as-of', 'end of May'],
        ['push'],
        ['push', 'austin-store-opening', '--as', 'jo', '--test-connector', 'smtp'],
      ];
      for (const args of cases) {
        const r = await run(args);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
        oneLine(r.stderr, /^error E_USAGE: /);
      }
    } finally {
      await writeFile(lock, '999999999');
    }
  });

  it('refuses a --chromium path that does not exist instead of using another browser', async () => {
    const r = await run([
      'preview',
      'austin-store-opening',
      '--screenshot',
      'shots',
      '--chromium',
      '/nonexistent/chromium',
    ]);
    expect(r.code).toBe(3);
    oneLine(r.stderr, /^error E_NOT_FOUND: --chromium: no such file \/nonexistent\/chromium/);
    expect(existsSync(path.join(hub, 'shots'))).toBe(false);
  });
});

describe('--json', () => {
  it('prints exactly one JSON document on stdout for every command, also when it writes a file', async () => {
    const commands = [
      ['lint'],
      ['lint', '--write-baseline', 'out/baseline.json'],
      ['render'],
      ['status', '--as', 'hana'],
      ['due'],
      ['push', '--check'],
      ['metrics', 'import', 'metrics/sample.csv', '--as', 'ana'],
      ['okr', 'report'],
      ['okr', 'report', '--format', 'svg', '--out', 'out/okrs.svg'],
      ['frobnicate'],
      ['lint', '--no-such-option'],
    ];
    // Several of these open the database: one in memory for them all.
    const database = await memoryDatabase();
    onTestFinished(() => database.close());
    for (const args of commands) {
      const r = await hubspoke([...args, '--json'], { cwd: hub, env, database });
      expect(() => JSON.parse(r.stdout) as unknown, `${args.join(' ')}: ${r.stdout}`).not.toThrow();
    }
  });
});

describe('a reader that goes away', () => {
  it('is not a crash: the command finishes, releases the database and exits 0', async () => {
    // The folder's database made here first (a copy of this run's pristine cluster): the binary
    // would otherwise run initdb for it, tens of seconds on a busy machine.
    expect((await hubspoke(['status', '--as', 'hana'], { cwd: hub, env })).code).toBe(0);
    const child = spawn(process.execPath, [BIN, 'status', '--as', 'hana'], {
      cwd: hub,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
    expect(existsSync(path.join(hub, '.hubspoke/approvals.lock'))).toBe(false);
  });
});
