import { describe, expect, it } from 'vitest';
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
