import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commands } from './commands/index.js';
import { BIN } from './test-helpers.js';

/**
 * Runs `hubspoke …args` with a module hook that logs every package it imports (bare specifiers),
 * so a test sees what help loads. The timing itself is measured by bench/cold-start.mjs.
 */
async function packagesLoaded(args: string[]): Promise<{ status: number | null; packages: string[] }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hubspoke-imports-'));
  const log = path.join(dir, 'imports.log');
  const hooks = path.join(dir, 'hooks.mjs');
  await writeFile(
    hooks,
    `import { appendFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
export async function resolve(specifier, context, next) {
  if (!/^(\\.|\\/|file:|node:|data:)/.test(specifier) && !isBuiltin(specifier)) appendFileSync(${JSON.stringify(log)}, specifier + '\\n');
  return next(specifier, context);
}`,
  );
  const register = path.join(dir, 'register.mjs');
  await writeFile(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  await writeFile(log, '');
  const run = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  const packages = [...new Set((await readFile(log, 'utf8')).split('\n').filter(Boolean))].sort();
  return { status: run.status, packages };
}

describe('cold start', () => {
  it('`hubspoke --help` imports no library, only the argument parser', async () => {
    expect(await packagesLoaded(['--help'])).toEqual({ status: 0, packages: ['commander'] });
  });

  it.each(commands.map((c) => c.name))('`hubspoke %s --help` imports no library either', async (name) => {
    expect(await packagesLoaded([name, '--help'])).toEqual({ status: 0, packages: ['commander'] });
  });

  it('a command loads the hub only when it runs', async () => {
    const { packages } = await packagesLoaded(['status']);
    expect(packages).toContain('@hubspoke/hub');
  });
});
