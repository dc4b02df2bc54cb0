#!/usr/bin/env node
import { run } from './program.js';

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
