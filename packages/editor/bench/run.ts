/**
 * Editor benchmarks in headless Chromium on the 10-section demo newsletter, plus bundle sizes.
 * Prints one `BENCH {json}` line per figure:
 *
 *   - gzip size of each browser bundle: template-engine's `./fill`, brand-rules' `./browser`,
 *     Lit, the web app as built (page + lint worker, see `app-size.ts`), the rich-text editor
 *     (Tiptap/ProseMirror) and what the app loads only on demand;
 *   - keystroke → preview frame updated (p95): from the keydown to the frame after both preview
 *     frames were patched, measured in the page (rAF + task, see the reference on Event Timing);
 *   - keystroke → lint findings updated (p95);
 *   - cold load of the editor with a draft (navigation → preview shown and linted);
 *   - slow keystrokes reported by Event Timing (entries ≥ 50 ms).
 *
 * Chromium comes from HUBSPOKE_TEST_CHROMIUM (else /usr/bin/chromium).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build as esbuild } from 'esbuild';
import { build } from 'vite';
import { launch, serveHarness } from '../test/browser.js';
import { appSizes } from './app-size.js';
import type { Page } from 'playwright-core';
import { SPOKE, openHarness } from '../test/page.js';
import { MemoryHub } from '../src/index.js';
import { brandKit, hubInfo, newsletter, nodeSkeletons, NOW, viewers } from '../test/fixtures/demo.js';

process.env.HUBSPOKE_TEST_CHROMIUM ??= '/usr/bin/chromium';

const bench = (name: string, value: number, unit: string, target?: string) => {
  console.log(
    `BENCH ${JSON.stringify({ name, value: Math.round(value * 10) / 10, unit, ...(target === undefined ? {} : { target }) })}`,
  );
};
const kb = (bytes: number) => bytes / 1024;

// For profiling: 'keys' runs only the keystrokes, 'cold' only the cold load.
const only = process.env.BENCH_ONLY;

// 1. Bundle sizes.
async function bundleGzip(entry: string): Promise<number> {
  const result = await esbuild({
    stdin: { contents: entry, resolveDir: path.dirname(new URL(import.meta.url).pathname), loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'error',
  });
  return gzipSync(result.outputFiles[0]?.contents ?? new Uint8Array(), { level: 9 }).length;
}
// The test page builds while the bundles are sized (two cores: the bench stays under a minute).
const harness = serveHarness();
harness.catch(() => undefined); // awaited below

if (only === undefined) {
  bench(
    'gzip: @hubspoke/template-engine/fill',
    kb(await bundleGzip("export * from '@hubspoke/template-engine/fill';")),
    'KB',
    '<=300',
  );
  bench(
    'gzip: @hubspoke/brand-rules/browser',
    kb(await bundleGzip("export * from '@hubspoke/brand-rules/browser';")),
    'KB',
    '<=200',
  );
  bench('gzip: lit', kb(await bundleGzip("export * from 'lit';")), 'KB', '<=10');

  // The web app as it ships (this package's Vite config, app/), sized by what a browser loads to
  // open it: the entry, its static imports and CSS, and the lint worker. Chunks reached only by
  // dynamic import (the page linter, which the app never starts: it lints in the worker) are
  // reported apart; so is the rich-text editor, which the budget does not count.
  const outDir = mkdtempSync(path.join(tmpdir(), 'hubspoke-editor-bench-'));
  await build({
    configFile: new URL('../vite.config.ts', import.meta.url).pathname,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, manifest: true },
  });
  const sizes = appSizes(outDir);
  bench('gzip: editor app without the rich-text editor (page + lint worker)', kb(sizes.app), 'KB', '<=400');
  bench('gzip: rich-text editor (Tiptap + ProseMirror)', kb(sizes.richText), 'KB', '<=150');
  bench('gzip: chunks the app loads only on demand (page linter)', kb(sizes.lazy), 'KB', '<=100');
}

// 2. Keystrokes and cold load in Chromium.
const { url, server } = await harness;
const browser = await launch();
try {
  const page = await openHarness(browser, url);
  const draftId = await page.evaluate(async (spoke) => {
    const source = window.hubspoke.hub.as(spoke);
    const { draft, etag } = await source.createDraft({ templateId: 'newsletter', name: 'Bench newsletter' });
    await source.saveDraft(
      {
        ...draft,
        content: {
          en: {
            slots: {
              hero: { headline: 'Spring is here, {{ contact.firstName | default: "friend" }}' },
              article: { title: 'Three trails for May' },
            },
          },
        },
      },
      etag,
    );
    return draft.id;
  }, SPOKE);

  // Cold load: a fresh page (its own in-memory hub, holding the draft) that mounts the editor on that
  // draft as it starts, as the app opens the draft in its URL: navigation → preview shown and linted.
  const template = newsletter();
  const { draft: coldDraft } = await new MemoryHub({
    hub: { ...hubInfo, brandKit },
    templates: [template],
    viewers,
    now: () => NOW,
    skeleton: nodeSkeletons(template),
  })
    .as(SPOKE)
    .createDraft({ templateId: 'newsletter', name: 'Cold' });
  const cold: number[] = [];
  for (let i = 0; i < (only === 'keys' ? 0 : 3); i++) {
    const fresh = await openHarness(
      browser,
      url,
      { drafts: [coldDraft], mount: { view: 'editor', viewerId: SPOKE, id: coldDraft.id } },
      (p) =>
        p.addInitScript(() => {
          document.addEventListener(
            'hubspoke-session',
            (e) => {
              // The editor draws while the opening lint runs: done when both are.
              void Promise.resolve(
                (e as CustomEvent<{ session: { firstLint?: Promise<void> } }>).detail.session.firstLint,
              ).then(() => {
                requestAnimationFrame(() => {
                  (window as unknown as { coldLoadMs: number }).coldLoadMs = performance.now();
                });
              });
            },
            { once: true },
          );
        }),
    );
    await fresh.waitForFunction(() => 'coldLoadMs' in window);
    cold.push(await fresh.evaluate(() => (window as unknown as { coldLoadMs: number }).coldLoadMs));
    await fresh.context().close();
  }
  if (only !== 'keys')
    bench(
      'editor cold load with a draft (navigation → preview and lint ready, median of 3)',
      [...cold].sort((a, b) => a - b)[1] ?? 0,
      'ms',
      '<=1500',
    );

  if (only !== 'cold') await keystrokes(page, draftId);
} finally {
  await browser.close();
  server.close();
}

/** Keystroke → frame and → lint in the article's title, 3 runs of 34 keys. */
async function keystrokes(page: Page, draftId: string): Promise<void> {
  await page.evaluate(
    ([spoke, id]) => {
      window.hubspoke.mount('editor', spoke ?? '', id);
    },
    [SPOKE, draftId],
  );
  await page.getByRole('heading', { name: 'Bench newsletter' }).waitFor();
  await page.getByRole('button', { name: 'Article', exact: true }).click();
  const box = page.locator('[data-slot="article/title"]').getByRole('textbox');
  await box.click();
  await page.keyboard.press('End');
  await page.evaluate(() => {
    const w = window as unknown as {
      frameMs: number[];
      patchMs: number[];
      lintMs: number[];
      slow: number;
      t0: number;
    };
    w.frameMs = [];
    w.patchMs = [];
    w.lintMs = [];
    w.slow = 0;
    const editor = document.querySelector('hubspoke-editor');
    const preview = editor?.shadowRoot?.querySelector('hs-preview') as unknown as {
      onFramesUpdated?: (at: number) => void;
    } | null;
    document.addEventListener('keydown', () => (w.t0 = performance.now()), { capture: true });
    if (preview)
      preview.onFramesUpdated = (at: number) => {
        const t0 = w.t0;
        w.patchMs.push(at - t0);
        requestAnimationFrame(() => setTimeout(() => w.frameMs.push(performance.now() - t0)));
      };
    window.hubspoke.session?.addEventListener('change', (e) => {
      if ((e as CustomEvent<{ kind: string }>).detail.kind === 'lint') w.lintMs.push(performance.now() - w.t0);
    });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (entry.name === 'keydown' && entry.duration >= 50) w.slow += 1;
    }).observe({ type: 'event', buffered: false, durationThreshold: 48 } as PerformanceObserverInit);
  });
  const runs: { frame: number; patch: number; lint: number }[] = [];
  const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? Number.NaN;
  let slow = 0;
  for (let run = 0; run < 3; run++) {
    await page.evaluate(() => {
      const w = window as unknown as { frameMs: number[]; patchMs: number[]; lintMs: number[] };
      w.frameMs = [];
      w.patchMs = [];
      w.lintMs = [];
    });
    await page.keyboard.type(' and more trails to walk in spring', { delay: 40 });
    await page.waitForTimeout(500);
    const r = await page.evaluate(() => {
      const w = window as unknown as { frameMs: number[]; patchMs: number[]; lintMs: number[]; slow: number };
      return { frame: w.frameMs, patch: w.patchMs, lint: w.lintMs, slow: w.slow };
    });
    runs.push({ frame: p95(r.frame), patch: p95(r.patch), lint: p95(r.lint) });
    slow = r.slow;
    for (let i = 0; i < 34; i++) await page.keyboard.press('Backspace', { delay: 10 });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1] ?? Number.NaN;
  bench(
    'keystroke → preview frame updated, p95 (median of 3 runs of 34 keys)',
    median(runs.map((r) => r.frame)),
    'ms',
    '<=16',
  );
  // The frame figure includes the wait for the next frame after the keystroke's work, up to one
  // refresh interval (16.7 ms) wherever in the interval the key lands; this one is the work itself:
  // keydown to both preview frames patched, before the browser draws them. No target: the issue's
  // budget is for the frame figure above.
  bench(
    'keystroke → preview patched, before the frame is drawn, p95 (median of 3 runs)',
    median(runs.map((r) => r.patch)),
    'ms',
  );
  bench('keystroke → lint findings updated, p95 (median of 3 runs)', median(runs.map((r) => r.lint)), 'ms', '<=50');
  bench('keystrokes slower than 50 ms (Event Timing)', slow, 'x', '<=0');
}
