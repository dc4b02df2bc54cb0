import { describe, expect, it } from 'vitest';
import { darkPreview } from '@hubspoke/template-engine/fill';
import { slotMarkup, slotRange } from '../src/ui/morph.js';

describe('slotRange (where a slot element is in the email HTML, for one-slot patches)', () => {
  const html =
    '<body><div class="a"><div data-hs-slot="hero/headline" class="h"><div>Spring</div><!--[if mso]><div><![endif]-->, Anna</div><p>x</p></div></body>';

  it('spans the element with nested same-name tags, skipping conditional comments', () => {
    const range = slotRange(html, 'hero/headline');
    expect(range).toBeDefined();
    expect(html.slice(range?.start, range?.end)).toBe(
      '<div data-hs-slot="hero/headline" class="h"><div>Spring</div><!--[if mso]><div><![endif]-->, Anna</div>',
    );
  });

  it('answers nothing when the slot is absent or marked twice (the caller morphs the whole document)', () => {
    expect(slotRange(html, 'hero/cta')).toBeUndefined();
    expect(slotRange(`${html}<i data-hs-slot="hero/headline"></i>`, 'hero/headline')).toBeUndefined();
    expect(slotRange('<div data-hs-slot="a/b">never closed', 'a/b')).toBeUndefined();
  });
});

describe('slotMarkup (one slot changed: its new markup, worked out once for both frames)', () => {
  const page = (headline: string, footer = 'x') =>
    `<body><div data-hs-slot="hero/headline"><b>${headline}</b></div><p>${footer}</p></body>`;

  it('answers the slot element of the new HTML when only it changed', () => {
    expect(slotMarkup(page('Spring'), page('Spring is here'), 'hero/headline')).toBe(
      '<div data-hs-slot="hero/headline"><b>Spring is here</b></div>',
    );
  });

  it('answers nothing when something outside the slot changed too', () => {
    expect(slotMarkup(page('Spring'), page('Spring!', 'y'), 'hero/headline')).toBeUndefined();
    expect(slotMarkup(page('Spring'), page('Spring!'), 'hero/cta')).toBeUndefined();
  });
});

describe('slotMarkup on the dark preview (what a dark frame shows)', () => {
  const email = (headline: string) =>
    `<html><head><style>@media (prefers-color-scheme: dark) { .x { color: #eee !important; } }</style></head>` +
    `<body><h1 data-hs-slot="hero/headline">${headline}</h1><p>x</p></body></html>`;
  const dark = (html: string) => darkPreview(html) ?? html;
  /** The previous frame HTML with one slot's markup swapped in (what `applySlot` does to the DOM). */
  const patched = (shown: string, markup: string) => {
    const range = slotRange(shown, 'hero/headline');
    return range === undefined ? '' : shown.slice(0, range.start) + markup + shown.slice(range.end);
  };
  const before = email('Try @media (prefers-color-scheme: dark');
  const after = email('Try @media (prefers-color-scheme: dark)');

  it('darkPreview rewrites style sheets only, so even light markup brings the dark frame to the full dark render', () => {
    const light = slotMarkup(before, after, 'hero/headline') ?? '';
    expect(patched(dark(before), light)).toBe(dark(after));
    expect(dark(after)).toContain('Try @media (prefers-color-scheme: dark)');
  });

  it('markup worked out on the dark renderings brings the dark frame to the full dark render', () => {
    const markup = slotMarkup(dark(before), dark(after), 'hero/headline');
    expect(markup).toBeDefined();
    expect(patched(dark(before), markup ?? '')).toBe(dark(after));
    // An ordinary keystroke: the slot's markup is the same in both renderings.
    expect(slotMarkup(dark(email('Spring')), dark(email('Spring!')), 'hero/headline')).toBe(
      slotMarkup(email('Spring'), email('Spring!'), 'hero/headline'),
    );
  });
});
