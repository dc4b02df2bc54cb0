// Vitest global setup: every temporary file of a package's test run (PGlite folders, test hubs,
// browser profiles, server children's files) goes into one folder of its own, removed when the
// run ends, so no test has to clean up after itself and a failing one leaves nothing behind.
// Workers and the processes tests start inherit TMPDIR, which os.tmpdir() reads on every call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup() {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(path.join(tmpdir(), 'hubspoke-test-'));
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
