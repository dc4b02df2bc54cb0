// One server instance as its own process (the two-instance test starts two over one database).
import { openHub } from '@hubspoke/hub';
import { createServerApp, listen } from '@hubspoke/server';

const hub = await openHub({ database: process.argv[2] ?? '', env: {} });
const server = await createServerApp({
  hub,
  dev: true,
  webApp: false,
  heartbeatMs: 60_000,
  log: (entry) => {
    if (entry.msg !== 'request') process.stdout.write(`${JSON.stringify(entry)}\n`);
  },
});
const running = await listen(server, { port: 0, handleSignals: true, onClosed: () => hub.close() });
process.stdout.write(`${JSON.stringify({ msg: 'ready', url: running.url })}\n`);
