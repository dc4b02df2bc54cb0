import path from 'node:path';
import { EXIT } from '../output/exit-codes.js';
import { UsageError } from '../output/errors.js';
import { captureScreenshots, findChromium } from '../preview/screenshots.js';
import { startPreviewServer } from '../preview/server.js';
import { previewSource } from '../preview/source.js';
import type { CommandSpec } from '../program.js';
import { actorOf } from '../commands/options.js';
import { hubOf } from './hub-context.js';

export const run: CommandSpec['run'] = async (ctx, [ref], options) => {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port: expected a port number from 0 to 65535, got "${String(options.port)}"`);
  const screenshotDir = typeof options.screenshot === 'string' ? path.resolve(ctx.cwd, options.screenshot) : undefined;
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
};
