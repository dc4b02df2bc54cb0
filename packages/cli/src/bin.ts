#!/usr/bin/env node
import module from 'node:module';

// Node's on-disk compile cache (22.1+; a no-op where it is missing or NODE_DISABLE_COMPILE_CACHE is
// set): the second start reads the CLI's and commander's compiled code instead of compiling it again.
// Enabled before the program is imported, so that it covers it.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { run } = await import('./program.js');

// The first Ctrl-C asks the command to stop between steps and clean up (close the database,
// release its lock); a second one exits at once.
const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort();
});

// A reader that goes away (`hubspoke status | head -1`) is not an error: stop writing, finish the
// command (so the database is closed and its lock released), and exit as usual.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

const code = await run(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
process.exitCode = code;
