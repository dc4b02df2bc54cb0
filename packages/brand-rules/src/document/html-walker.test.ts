import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { walkHtml } from './html-walker.js';

const walk = (html: string, spans?: { instanceId: string; slotId: string; start: number; end: number }[]) =>
  walkHtml(html, {
    location: { source: 'html' },
    scopes: new Set(),
    spans,
    spanContext: (s) => ({ scopes: [`slot:${s.slotId}`], location: { instanceId: s.instanceId, slotId: s.slotId } }),
  });

describe('walkHtml', () => {
  it('extracts block text units, joining inline elements, and maps ranges back through entities', () => {
    const html = '<div><p>Fish &amp; <b>chips</b></p><p>Second</p></div>';
    const model = walk(html);
    expect(model.units.map((u) => u.item.text)).toEqual(['Fish & chips', 'Second']);
    const unit = model.units[0]?.item;
    const chips = unit?.map.locate(7, 12);
    expect(html.slice(chips?.start, chips?.end)).toBe('chips');
    expect(chips?.contiguous).toBe(true);
    const across = unit?.map.locate(0, 12);
    expect(across?.contiguous).toBe(false);
    expect(unit?.map.locate(5, 6)).toEqual({ start: 13, end: 18, contiguous: true });
    expect(unit?.map.locate(5, 7)).toEqual({ start: 13, end: 19, contiguous: true });
  });

  it('tags headings and button links, skips head, style, script and hidden text', () => {
    const model = walk(
      '<head><title>T</title><style>p{color:red}</style></head><h2>Head</h2><script>var x="y"</script><div style="display:none">hidden</div><a href="https://a.example" style="background:#000;color:#fff">Buy</a>',
    );
    expect(model.units.map((u) => [u.item.text, [...u.item.scopes].sort().join(',')])).toEqual([
      ['Head', 'body,heading'],
      ['https://a.example', 'link.href'],
      ['Buy', 'body,cta'],
    ]);
    expect(model.links[0]?.item).toMatchObject({ href: 'https://a.example', text: 'Buy' });
    expect(model.links[0]?.item.scopes.has('cta')).toBe(true);
    expect(model.styles.map((s) => s.item.value)).toEqual(['red', '#000', '#fff']);
  });

  it('tracks colour, background, size and weight per segment', () => {
    const model = walk(
      '<table bgcolor="#222"><tr><td style="font-size:20px;color:#eee">A <b style="color:#f00">B</b></td></tr></table>',
    );
    expect(model.units[0]?.item.segments?.map((s) => [s.color, s.background, s.fontSizePx, s.bold])).toEqual([
      ['#eeeeee', '#222222', 20, false],
      ['#ff0000', '#222222', 20, true],
    ]);
  });

  it('splits units at slot span boundaries and attaches instance and slot', () => {
    const html = '<p>Hub <span>spoke text</span></p>';
    const start = html.indexOf('spoke');
    const model = walk(html, [{ instanceId: 'i1', slotId: 's1', start, end: start + 10 }]);
    expect(model.units.map((u) => [u.item.text, u.item.location.slotId])).toEqual([
      ['Hub ', undefined],
      ['spoke text', 's1'],
    ]);
  });

  it('gives a style value the innermost slot span holding it, also after a nested span ended', () => {
    // A style slot with a colour slot inside it: the background after the colour is the style slot's.
    const html = '<p style="color:#123456;background:#ffffff">x</p><p style="color:#abcdef">y</p>';
    const outer = { instanceId: 'i1', slotId: 'style', start: html.indexOf('color'), end: html.indexOf('">') };
    const inner = {
      instanceId: 'i1',
      slotId: 'colour',
      start: html.indexOf('#123456'),
      end: html.indexOf('#123456') + 7,
    };
    const styles = (spans: (typeof outer)[]) =>
      walk(html, spans).styles.map((s) => [s.item.value, s.span?.slotId, s.item.ref.location.slotId]);
    const expected = [
      ['#123456', 'colour', 'colour'],
      ['#ffffff', 'style', 'style'],
      ['#abcdef', undefined, undefined],
    ];
    expect(styles([outer, inner])).toEqual(expected);
    expect(styles([inner, outer])).toEqual(expected);
  });

  it('reports unclosed elements but not optional end tags or void elements', () => {
    expect(walk('<table><tr><td>a<td>b</table><p>x<br><img src="a.png">').issues).toEqual([]);
    expect(walk('<div><span>x</div>').issues.map((i) => i.message)).toEqual([
      '<span> is never closed (implicitly closed by a later end tag)',
    ]);
  });

  it('never throws and keeps every range inside the source, whatever the input (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        '<p>',
        '</p>',
        '<b>',
        '</b>',
        '<a href="x">',
        '</a>',
        '<img alt="a&amp;b" src=x>',
        '<!-- c -->',
        '&amp;',
        '&#x1F600;',
        '&bogus;',
        '<',
        '>',
        '"',
        '<style>',
        '</style>',
        '<div style="color:red;font-size:2em">',
        '</div>',
        '<br>',
      ),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 30 }).map((p) => p.join('')),
        (html) => {
          const model = walk(html);
          for (const { item } of model.units) {
            const r = item.map.locate(0, item.text.length);
            expect(r.start).toBeGreaterThanOrEqual(0);
            expect(r.end).toBeLessThanOrEqual(html.length);
            if (r.contiguous && item.escape === 'html-text' && !html.slice(r.start, r.end).includes('&'))
              expect(html.slice(r.start, r.end)).toBe(item.text);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
