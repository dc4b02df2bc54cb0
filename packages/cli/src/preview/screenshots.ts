import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { HubspokeError } from '@hubspoke/core';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export const PREVIEW_WIDTHS = [
  { id: 'desktop', frame: '#frame-desktop', width: 600 },
  { id: 'mobile', frame: '#frame-mobile', width: 375 },
] as const;
export const SCHEMES = ['light', 'dark'] as const;

export interface ScreenshotOptions {
  /** The preview URL with its token. */
  url: string;
  outDir: string;
  locales: string[];
  /** Path of a Chromium binary (never downloaded). */
  chromium: string;
}

export interface Screenshot {
  file: string;
  locale: string;
  width: number;
  scheme: (typeof SCHEMES)[number];
}

/** The Chromium to use: an explicit path, `HUBSPOKE_CHROMIUM`, or Debian's `/usr/bin/chromium`. */
export function findChromium(explicit: string | undefined, env: Record<string, string | undefined>): string {
  const candidates = [explicit, env.HUBSPOKE_CHROMIUM, env.HUBSPOKE_TEST_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((c): c is string => c !== undefined && c !== '');
  const found = candidates.find((c) => existsSync(c));
  if (found === undefined) {
    throw new HubspokeError('E_UNSUPPORTED', `screenshots: no Chromium found (looked at ${candidates.join(', ')})`, {
      hint: 'install Chromium (Debian: apt-get install chromium) or pass --chromium <path>; Hubspoke never downloads a browser',
    });
  }
  return found;
}

/** Writes `<locale>-<width>-<scheme>.png` for every locale × width × scheme with headless Chromium. */
export async function captureScreenshots(options: ScreenshotOptions): Promise<Screenshot[]> {
  const { chromium } = await import('playwright-core');
  await mkdir(options.outDir, { recursive: true });
  const browser = await chromium.launch({ executablePath: options.chromium, args: CHROMIUM_ARGS });
  const shots: Screenshot[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 1 });
    await page.goto(options.url);
    await page.waitForSelector('body[data-ready]');
    for (const locale of options.locales) {
      for (const scheme of SCHEMES) {
        await page.selectOption('#locale', locale);
        await page.check(`input[name=scheme][value=${scheme}]`);
        await page.waitForFunction(([l, s]) => document.body.dataset.ready?.startsWith(`${l}|`) === true && document.body.dataset.ready.endsWith(`|${s}`), [locale, scheme] as const);
        for (const { frame, width } of PREVIEW_WIDTHS) {
          const file = path.join(options.outDir, `${locale}-${width}-${scheme}.png`);
          await page.locator(frame).screenshot({ path: file });
          shots.push({ file, locale, width, scheme });
        }
      }
    }
  } finally {
    await browser.close();
  }
  return shots;
}
