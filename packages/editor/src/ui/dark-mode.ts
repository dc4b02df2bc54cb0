// A simulated dark mode in the spirit of mail clients that invert colours (e.g. Gmail's
// partial inversion): light backgrounds become dark, dark text becomes light, images stay.
// One home for the preview page of the CLI and the editor's preview (`@hubspoke/editor/dark-mode`).

import { checkArgs, HubspokeError } from '@hubspoke/core';

interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** Longest CSS colour value read (a longer one is not a colour). */
const MAX_COLOR = 1_000;

export function parseColor(value: string): Rgba | undefined {
  checkArgs('parseColor', ['value:string'], [value]);
  if (value.length > MAX_COLOR) return undefined;
  const m = /rgba?\(\s*(\d+(?:\.\d+)?)[,\s]+(\d+(?:\.\d+)?)[,\s]+(\d+(?:\.\d+)?)(?:[,/\s]+(\d*(?:\.\d+)?))?\s*\)/.exec(
    value,
  );
  if (m === null) return undefined;
  return { r: Number(m[1]), g: Number(m[2]), b: Number(m[3]), a: m[4] === undefined || m[4] === '' ? 1 : Number(m[4]) };
}

function toHsl({ r, g, b }: Rgba): [number, number, number] {
  const [rn, gn, bn] = [r / 255, g / 255, b / 255];
  const max = Math.max(rn, gn, bn);
  const min = Math.min(rn, gn, bn);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  const h = max === rn ? (gn - bn) / d + (gn < bn ? 6 : 0) : max === gn ? (bn - rn) / d + 2 : (rn - gn) / d + 4;
  return [h / 6, s, l];
}

function fromHsl(h: number, s: number, l: number): string {
  const hue = (t: number, p: number, q: number) => {
    const x = t < 0 ? t + 1 : t > 1 ? t - 1 : t;
    if (x < 1 / 6) return p + (q - p) * 6 * x;
    if (x < 1 / 2) return q;
    if (x < 2 / 3) return p + (q - p) * (2 / 3 - x) * 6;
    return p;
  };
  if (s === 0) {
    const v = Math.round(l * 255);
    return `rgb(${v}, ${v}, ${v})`;
  }
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  return `rgb(${Math.round(hue(h + 1 / 3, p, q) * 255)}, ${Math.round(hue(h, p, q) * 255)}, ${Math.round(hue(h - 1 / 3, p, q) * 255)})`;
}

/** Mirrors lightness around the middle, keeping hue and saturation. */
export function invertLightness(color: Rgba, floor = 0.08): string {
  checkArgs('invertLightness', ['color:object', 'floor:number'], [color, floor]);
  if (![color.r, color.g, color.b].every((c) => typeof c === 'number'))
    throw new HubspokeError('E_VALIDATION', 'Invalid color: expected { r, g, b } numbers', { path: 'color' });
  const [h, s, l] = toHsl(color);
  return fromHsl(h, s, Math.min(1 - floor, Math.max(floor, 1 - l)));
}

/** Applies the simulated dark scheme to a rendered email document. */
export function applyDarkMode(doc: Document): void {
  checkArgs('applyDarkMode', ['doc:object'], [doc]);
  const view = doc.defaultView;
  if (view === null) return; // not shown in a window: nothing is painted, nothing to restyle
  // Types say Document; the runtime value is the caller's, so check what the walk below uses.
  const given = { view: view as unknown, body: doc.body as unknown };
  if (typeof given.view !== 'object' || typeof given.body !== 'object' || given.body === null)
    throw new HubspokeError('E_VALIDATION', 'Invalid doc: expected a rendered HTML document', { path: 'doc' });
  doc.documentElement.style.colorScheme = 'dark';
  const elements = [doc.documentElement, ...Array.from(doc.body.querySelectorAll<HTMLElement>('*'))];
  elements.unshift(doc.body);
  const changes: [HTMLElement, string, string][] = [];
  for (const el of elements) {
    if (el.tagName === 'IMG') continue;
    const style = view.getComputedStyle(el);
    const bg = parseColor(style.backgroundColor);
    const fg = parseColor(style.color);
    if (bg !== undefined && bg.a > 0 && toHsl(bg)[2] > 0.5) changes.push([el, 'background-color', invertLightness(bg)]);
    if (fg !== undefined && toHsl(fg)[2] < 0.5) changes.push([el, 'color', invertLightness(fg)]);
  }
  // The page behind the email (body with no background of its own) turns dark too.
  if (parseColor(view.getComputedStyle(doc.body).backgroundColor)?.a === 0)
    changes.push([doc.body, 'background-color', 'rgb(18, 18, 18)']);
  for (const [el, prop, value] of changes) el.style.setProperty(prop, value, 'important');
}
