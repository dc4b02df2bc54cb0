import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { HubspokeError, isHubspokeError } from '@hubspoke/core';
import { fsError, optionalPeer } from '@hubspoke/hub';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

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

/** The Chromium to use: an explicit path (which must exist), `HUBSPOKE_CHROMIUM`, or Debian's `/usr/bin/chromium`. */
export function findChromium(explicit: string | undefined, env: Record<string, string | undefined>): string {
  if (explicit !== undefined) {
    if (!existsSync(explicit))
      throw new HubspokeError('E_NOT_FOUND', `--chromium: no such file ${explicit}`, {
        hint: 'give the path of a Chromium binary; Hubspoke never downloads a browser',
      });
    return explicit;
  }
  const candidates = [env.HUBSPOKE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    (c): c is string => c !== undefined && c !== '',
  );
  const found = candidates.find((c) => existsSync(c));
  if (found === undefined) {
    throw new HubspokeError('E_UNSUPPORTED', `screenshots: no Chromium found (looked at ${candidates.join(', ')})`, {
      hint: 'install Chromium (Debian: apt-get install chromium) or pass --chromium <path>; Hubspoke never downloads a browser',
    });
  }
  return found;
}

/**
 * Writes `<locale>-<width>-<scheme>.png` for every locale × width × scheme with headless Chromium.
 * The PNGs are taken into a staging folder and moved into `outDir` only when all were taken.
 */
export async function captureScreenshots(options: ScreenshotOptions): Promise<Screenshot[]> {
  const { chromium } = await optionalPeer('playwright-core', 'Screenshots', () => import('playwright-core'));
  const staging = `${options.outDir}.${process.pid}.staging`;
  try {
    await mkdir(staging, { recursive: true });
    await mkdir(options.outDir, { recursive: true });
  } catch (e) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw fsError(e, 'write screenshots to', options.outDir);
  }
  const browser = await chromium
    .launch({ executablePath: options.chromium, args: CHROMIUM_ARGS })
    .catch((cause: unknown) => {
      throw new HubspokeError(
        'E_UNSUPPORTED',
        `screenshots: cannot start Chromium ${options.chromium}: ${firstLine(cause)}`,
        { cause, hint: 'pass --chromium <path> to a working Chromium' },
      );
    });
  const shots: Screenshot[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 1 });
    // The page marks what it shows in data-ready ("<locale>|<contact>|<scheme>"), or why it cannot in data-error.
    const shown = async (locale: string, scheme: string) => {
      const handle = await page.waitForFunction(
        ([l, s]) => {
          const { ready, error } = document.body.dataset;
          if (error !== undefined) return { error };
          return ready?.startsWith(`${l}|`) === true && ready.endsWith(`|${s}`) ? { error: undefined } : false;
        },
        [locale, scheme] as const,
      );
      const { error } = (await handle.jsonValue()) as { error: string | undefined };
      if (error !== undefined)
        throw new HubspokeError('E_VALIDATION', `screenshots: the preview of ${locale} failed: ${error}`);
    };
    await page.goto(options.url);
    await shown(options.locales[0] ?? '', 'light');
    for (const locale of options.locales) {
      for (const scheme of SCHEMES) {
        await page.selectOption('#locale', locale);
        await page.check(`input[name=scheme][value=${scheme}]`);
        await shown(locale, scheme);
        for (const { frame, width } of PREVIEW_WIDTHS) {
          const name = `${locale}-${width}-${scheme}.png`;
          await page.locator(frame).screenshot({ path: path.join(staging, name) });
          shots.push({ file: path.join(options.outDir, name), locale, width, scheme });
        }
      }
    }
    for (const shot of shots) await rename(path.join(staging, path.basename(shot.file)), shot.file);
  } catch (e) {
    if (isHubspokeError(e)) throw e;
    throw new HubspokeError(
      (e as Error).name === 'TimeoutError' ? 'E_TIMEOUT' : 'E_UPSTREAM',
      `screenshots: ${firstLine(e)}`,
      { cause: e },
    );
  } finally {
    await browser.close();
    await rm(staging, { recursive: true, force: true });
  }
  return shots;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
