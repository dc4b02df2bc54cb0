// `pnpm hubspoke …` from a clone: builds the CLI and what it depends on when it is not built yet
// (turbo, with its progress), then runs it in the folder the command was typed in (pnpm runs
// root scripts from the repository root and passes that folder as INIT_CWD).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'packages/cli/dist/bin.js');
if (!existsSync(bin)) {
  process.stderr.write('hubspoke is not built yet: building it (once; `pnpm build` rebuilds after changes)…\n');
  const build = spawnSync('pnpm', ['turbo', 'run', 'build', '--filter=@hubspoke/cli...', '--output-logs=hash-only'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
// Ctrl-C reaches the command too (same process group); it decides how to stop, and we wait for it.
process.on('SIGINT', () => {});
const child = spawn(process.execPath, [bin, ...process.argv.slice(2)], {
  cwd: process.env.INIT_CWD ?? process.cwd(),
  stdio: 'inherit',
});
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
