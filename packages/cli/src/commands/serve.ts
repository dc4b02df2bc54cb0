import type { CommandSpec } from '../program.js';
import { withDatabase } from './options.js';

export const serveCommand: CommandSpec = {
  name: 'serve',
  description: 'serve the hub in its database over HTTP: the API, sign-in, live updates and the web app',
  examples: [
    'hubspoke serve --dev --port 0   # after `hub import`: sign in as anyone in the directory, on a free port',
    'hubspoke serve --database-url postgres://hub@db.example/hub --host 0.0.0.0 --public-url https://hub.example.com',
  ],
  define: (c) =>
    withDatabase(c)
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .option('-p, --port <port>', 'port (0: a free one)', '8080')
      .option('--public-url <url>', 'the URL browsers use, behind a proxy (or HUBSPOKE_PUBLIC_URL)')
      .option('--identity <file>', "JSON file of the identity section (default: the config's identity)")
      .option('--pool-size <n>', 'PostgreSQL connections this process holds at most (default 10)')
      .option('--dev', "sign in as anyone in the hub's directory, no password (loopback addresses only)"),
  run: (ctx, args, options) => import('../actions/serve.js').then((action) => action.run(ctx, args, options)),
};
