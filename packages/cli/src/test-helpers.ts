import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type HubDatabase } from '@hubspoke/hub';
import { run } from './program.js';

export const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

export interface Spawned {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in this process, as `bin.js` does, with the environment a spawned binary gets: a
 * command takes milliseconds instead of the seconds a new Node process spends loading the libraries.
 */
export async function hubspoke(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; database?: HubDatabase },
): Promise<Spawned> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    stdout: { write: (s: string) => ((stdout += s), true) },
    stderr: { write: (s: string) => ((stderr += s), true) },
    ...(options.database === undefined ? {} : { database: options.database }),
  });
  return { code, stdout, stderr };
}

/**
 * A PGlite database in memory for the commands of a test (`RunOptions.database`): opened once,
 * where each command would open the hub folder's `.hubspoke/approvals` again (seconds each on a
 * busy machine). Tests of the folder database itself (its lock, what it keeps) run without one.
 */
export function memoryDatabase(): Promise<HubDatabase> {
  return openDatabase({ kind: 'memory' });
}

/** Runs the built `hubspoke` binary like a user would: for what only a process shows (signals, exit, locks). */
export function spawnHubspoke(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number },
): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hubspoke ${args.join(' ')} timed out\n${stderr}`));
    }, options.timeoutMs ?? 300_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The folders `tempProject` made for the running test file. */
const made: string[] = [];

/** Removes the folders `tempProject` made (a setup file calls it after each test file): a hub's folder database is 40 MB. */
export async function removeTempProjects(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A temporary folder with the given files, removed after the test file. */
export async function tempProject(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hubspoke-cli-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}
