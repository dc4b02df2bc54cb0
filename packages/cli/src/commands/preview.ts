import path from 'node:path';
import { EXIT } from '../output/exit-codes.js';
import { UsageError } from '../output/errors.js';
import { captureScreenshots, findChromium } from '../preview/screenshots.js';
import { startPreviewServer } from '../preview/server.js';
import { previewSource } from '../preview/source.js';
import type { CommandSpec } from '../program.js';
import { actorOf, hubOf, withActor, withDatabase } from './options.js';

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
  async run(ctx, [ref], options) {
    const port = Number(options.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port: expected a port number from 0 to 65535, got "${String(options.port)}"`);
    const screenshotDir =
      typeof options.screenshot === 'string' ? path.resolve(ctx.cwd, options.screenshot) : undefined;
    const chromium =
      screenshotDir === undefined
        ? undefined
        : findChromium(typeof options.chromium === 'string' ? options.chromium : undefined, ctx.env);
    const hub = await hubOf(ctx);
    // Screenshots show the email only, so they leave the approval database alone.
    const actingAs = screenshotDir === undefined ? actorOf(ctx, options) : undefined;
    const source = await previewSource(
      hub,
      ref ?? '',
      actingAs,
      actingAs === undefined ? undefined : () => hubOf(ctx, options),
    );
    const server = await startPreviewServer({ source, port, allowRemoteImages: options.remoteImages === true });
    try {
      if (screenshotDir !== undefined && chromium !== undefined) {
        const shots = await captureScreenshots({
          url: server.url,
          outDir: screenshotDir,
          locales: source.locales,
          chromium,
        });
        if (ctx.globals.json) ctx.term.printJson({ ok: true, screenshots: shots });
        else for (const s of shots) ctx.term.out(path.relative(ctx.cwd, s.file));
        return EXIT.ok;
      }
      if (ctx.globals.json) ctx.term.printJson({ ok: true, url: server.url });
      else
        ctx.term.out(
          `Preview of "${source.title}" at ${ctx.term.style.bold(server.url)}\n(only this machine can open it; the token keeps other local users out; Ctrl-C stops)`,
        );
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        ctx.signal.addEventListener(
          'abort',
          () => {
            resolve();
          },
          { once: true },
        );
      });
      return EXIT.ok;
    } finally {
      await server.close();
    }
  },
};
