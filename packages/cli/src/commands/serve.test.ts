import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../program.js';
import { BIN, hubspoke, tempProject } from '../test-helpers.js';

let hub: string;
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    cwd: hub,
    env: { NO_COLOR: '1' },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  hub = await tempProject();
  expect((await cli(['init'])).code).toBe(0);
  const imported = await cli(['hub', 'import', '.', '--as', 'hana']);
  expect(imported.code, imported.stderr).toBe(0);
}, 120_000);

describe('hubspoke serve', () => {
  it('refuses --dev on a non-loopback address, and a server nobody could sign in to', async () => {
    const open = await cli(['serve', '--dev', '--host', '0.0.0.0', '--port', '0']);
    expect(open.code).not.toBe(0);
    expect(open.stderr).toMatch(/loopback/);
    const nobody = await cli(['serve', '--port', '0']);
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toMatch(/identity section|--dev/);
  }, 60_000);

  it('takes --pool-size for a PostgreSQL database only, a whole number from 1 to 1000', async () => {
    for (const size of ['0', 'ten', '1001']) {
      const bad = await cli(['serve', '--dev', '--port', '0', '--pool-size', size]);
      expect(bad.code, size).toBe(2);
      expect(bad.stderr).toMatch(/--pool-size/);
    }
    // This hub's database is the embedded one (PGlite), which has no pool.
    const embedded = await cli(['serve', '--dev', '--port', '0', '--pool-size', '3']);
    expect(embedded.code).toBe(2);
    expect(embedded.stderr).toMatch(/--pool-size: only a PostgreSQL database/);
  }, 60_000);

  it('serves the hub in dev mode and shuts down gracefully on SIGTERM, ending live streams', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--dev', '--port', '0'], {
      cwd: hub,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Record<string, unknown>[] = [];
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        const entry = JSON.parse(line) as Record<string, unknown>;
        lines.push(entry);
        if (entry.msg === 'listening') resolve(String(entry.url));
      });
      void exited.then(() => {
        reject(new Error(`serve exited early: ${stderr}`));
      });
    });
    // The banner follows the listening line.
    while (!stderr.includes('DEVELOPMENT MODE')) await new Promise((r) => setTimeout(r, 20));
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const signIn = await fetch(`${url}/auth/dev/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ person: 'jo' }),
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const drafts = (await (await fetch(`${url}/api/drafts`, { headers: { cookie } })).json()) as {
      items: { draft: { id: string } }[];
    };
    expect(drafts.items.map((d) => d.draft.id)).toContain('austin-store-opening');
    const stream = await fetch(`${url}/api/drafts/austin-store-opening/events`, { headers: { cookie } });
    const reader = stream.body!.getReader();
    await reader.read(); // the ready event
    child.kill('SIGTERM');
    // The stream ends instead of hanging the shutdown.
    for (;;) if ((await reader.read()).done) break;
    expect(await exited).toBe(0);
    expect(lines.map((l) => l.msg)).toContain('server stopped');
    // The database lock was released: the next command can open it.
    const after = await hubspoke(['status', '--as', 'hana'], { cwd: hub });
    expect(after.code, after.stderr).toBe(0);
  }, 120_000);
});
