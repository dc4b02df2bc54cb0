import type { CommandSpec } from '../program.js';
import { withActor, withDatabase } from './options.js';

export const previewCommand: CommandSpec = {
  name: 'preview',
  description:
    'open a draft in a local preview studio (locales, widths, dark mode, diagnostics, review), or write screenshots',
  examples: [
    'hubspoke preview austin-store-opening',
    'hubspoke preview austin-store-opening --as sam    # with the review panel for Sam',
    'hubspoke preview austin-store-opening --screenshot out/shots',
  ],
  define: (c) =>
    withDatabase(
      withActor(
        c.argument('<draft>', 'draft file or id'),
        'show the review panel and decide as this principal (or HUBSPOKE_AS)',
      ),
    )
      .option('-p, --port <port>', 'port on 127.0.0.1 (default: a free one)', '0')
      .option(
        '--screenshot <dir>',
        'write PNGs for each locale × width × colour scheme with headless Chromium, then exit',
      )
      .option('--chromium <path>', 'the Chromium binary for screenshots (never downloaded)')
      .option(
        '--remote-images',
        "load images from any host; by default only the brand kit's asset and logo hosts (a tracking pixel would learn who previewed)",
      ),
  run: (ctx, args, options) => import('../actions/preview.js').then((action) => action.run(ctx, args, options)),
};
