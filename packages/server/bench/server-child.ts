// The server under load, as its own process (the load generator must not share its event loop).
// argv[2]: the hub's database (a PGlite folder or a postgres:// URL).
import { openHub } from '@hubspoke/hub';
import { createServerApp, listen } from '../src/index.js';

const hub = await openHub({ database: process.argv[2] ?? '', env: {} });
const server = await createServerApp({
  hub,
  dev: true,
  webApp: false,
  // 50 simulated spokes sign in as the directory's few spoke marketers, so one person stands for many
  // spokes here: the per-person rate limit (1200/min by default) is raised for the bench only.
  limits: { requestsPerMinute: 1_000_000 },
  log: (entry) => {
    if (entry.level === 'error') process.stderr.write(`${JSON.stringify(entry)}\n`);
  },
});
const running = await listen(server, { port: 0, handleSignals: true, onClosed: () => hub.close() });
process.stdout.write(`${JSON.stringify({ msg: 'ready', url: running.url })}\n`);
