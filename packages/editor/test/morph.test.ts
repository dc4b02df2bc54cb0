import { describe, expect, it } from 'vitest';
import { slotRange } from '../src/ui/morph.js';

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
