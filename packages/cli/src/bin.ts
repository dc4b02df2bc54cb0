#!/usr/bin/env node
import { run } from './program.js';

const controller = new AbortController();
process.once('SIGINT', () => {
  controller.abort();
});

const code = await run(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
process.exitCode = code;
