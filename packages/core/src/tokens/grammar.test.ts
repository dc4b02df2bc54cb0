import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldsOf, lexTokens, parseTokens, quoteLiteral, type FieldNode, type IfNode } from './grammar.js';

describe('parseTokens', () => {
  it('reads fields with and without a fallback, in either quote style', () => {
    const { nodes, errors, live } = parseTokens(
      'Hi {{ contact.firstName | default: "there" }} and {{contact.lastName|default:\'}}x\'}}!',
    );
    expect(errors).toEqual([]);
    expect(live).toBe(true);
    expect(nodes).toEqual([
      { type: 'text', value: 'Hi ', start: 0, end: 3 },
      { type: 'field', path: 'contact.firstName', fallback: 'there', start: 3, end: 45 },
      { type: 'text', value: ' and ', start: 45, end: 50 },
      { type: 'field', path: 'contact.lastName', fallback: '}}x', start: 50, end: 84 },
      { type: 'text', value: '!', start: 84, end: 85 },
    ]);
  });

  it('reads if / elsif / else with and, or, not, comparisons and literals', () => {
    const { nodes, errors } = parseTokens(
      '{% if contact.tier == "gold" and contact.vip %}A{% elsif not contact.country %}B{% elseif contact.score != 3 or contact.beta == true %}C{% else %}D{% endif %}',
    );
    expect(errors).toEqual([]);
    const node = nodes[0] as IfNode;
    expect(node.branches.map((b) => b.condition)).toEqual([
      {
        type: 'all',
        terms: [
          { type: 'compare', path: 'contact.tier', op: '==', value: 'gold' },
          { type: 'present', path: 'contact.vip', negated: false },
        ],
      },
      { type: 'present', path: 'contact.country', negated: true },
      {
        type: 'any',
        terms: [
          { type: 'compare', path: 'contact.score', op: '!=', value: 3 },
          { type: 'compare', path: 'contact.beta', op: '==', value: true },
        ],
      },
    ]);
    expect(node.otherwise).toEqual([expect.objectContaining({ type: 'text', value: 'D' })]);
    expect(fieldsOf(nodes)).toEqual(
      new Set(['contact.tier', 'contact.vip', 'contact.country', 'contact.score', 'contact.beta']),
    );
  });

  it('keeps raw blocks literal', () => {
    const { nodes, live } = parseTokens('a{% raw %}{{ not.a.token }}{% endraw %}b');
    expect(live).toBe(false);
    expect(nodes.map((n) => (n.type === 'text' ? n.value : n.type))).toEqual(['a{{ not.a.token }}b']);
  });

  it.each([
    ['Hi {{ contact.firstName', '{{ is never closed with }}', 3],
    ['{{ }}', 'empty {{ }}', 0],
    ['{{ firstName }}', '"firstName" is not a field path', 0],
    ['{{ contact.firstName | upcase }}', 'unknown filter "upcase"', 0],
    ['{{ contact.firstName | default: there }}', 'expected default: "fallback text"', 0],
    ['x {% if contact.a %}y', '{% if %} is never closed', 2],
    ['{% endif %}', '{% endif %} without {% if %}', 0],
    ['{% if contact.a %}{% else %}{% else %}{% endif %}', '{% else %} appears twice', 28],
    ['{% if contact.a %}{% else %}{% elsif contact.b %}{% endif %}', 'after {% else %}', 28],
    ['{% for x in contact.list %}', 'unknown tag {% for %}', 0],
    ['{% if contact.a and contact.b or contact.c %}x{% endif %}', 'cannot mix "and" with "or"', 0],
    ['{% if contact.a == "x\'y" %}x{% endif %}', 'condition values may only contain', 0],
    ['{% if contact.a == %}x{% endif %}', 'expected a value after ==', 0],
    ['{% if not contact.a == "x" %}x{% endif %}', '"not" only applies to a bare field', 0],
    ['{% if contact.a == "x %}x{% endif %}', 'unterminated string', 0],
    ['{% if %}x{% endif %}', 'needs a condition', 0],
    ['{% raw %}x', '{% raw %} is never closed', 0],
  ])('reports %j as an error with its position', (input, message, start) => {
    const { errors } = parseTokens(input);
    expect(errors[0]?.message).toContain(message);
    expect(errors[0]?.start).toBe(start);
    expect(errors[0]?.end).toBeGreaterThan(start);
  });

  it('treats lone braces, percent signs and closers as text', () => {
    const { nodes, errors, live } = parseTokens('50% off {on} }} %} { {');
    expect(errors).toEqual([]);
    expect(live).toBe(false);
    expect(nodes).toEqual([{ type: 'text', value: '50% off {on} }} %} { {', start: 0, end: 22 }]);
  });

  it('never throws, and text without token openers comes back as one text node (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (input) => {
        const parsed = parseTokens(input);
        for (const e of parsed.errors) {
          expect(e.start).toBeGreaterThanOrEqual(0);
          expect(e.end).toBeLessThanOrEqual(input.length);
        }
        if (!/\{[{%]/.test(input)) {
          expect(parsed.errors).toEqual([]);
          expect(parsed.nodes.map((n) => (n.type === 'text' ? n.value : '')).join('')).toBe(input);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('covers the whole input with node offsets when there are no errors (property)', () => {
    const piece = fc.oneof(
      fc.string().filter((s) => !/[{}%]/.test(s)),
      fc.constantFrom(
        '{{ contact.firstName }}',
        '{{ contact.a | default: "x y" }}',
        '{% if contact.a == "b" %}in{% else %}out{% endif %}',
        '{% raw %}{{ x }}{% endraw %}',
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (pieces) => {
        const input = pieces.join('');
        const { nodes, errors } = parseTokens(input);
        expect(errors).toEqual([]);
        if (nodes.length > 0) {
          expect(nodes[0]?.start).toBe(0);
          expect(nodes[nodes.length - 1]?.end).toBe(input.length);
        }
      }),
    );
  });

  it('reads platform code only in hub-owned text, for a known platform', () => {
    const source = 'Score: {% platform marketo %}{{lead.Score:default=0}}{% endplatform %}!';
    const hub = parseTokens(source, { hubOwned: true });
    expect(hub.errors).toEqual([]);
    expect(hub.live).toBe(true);
    expect(hub.nodes[1]).toEqual({
      type: 'platform',
      dialect: 'marketo',
      code: '{{lead.Score:default=0}}',
      codeStart: 29,
      start: 7,
      end: 70,
    });
    const spoke = parseTokens(source);
    expect(spoke.errors[0]?.message).toContain('not for draft content');
    expect(spoke.live).toBe(false);
    expect(spoke.nodes).toEqual([{ type: 'text', value: source, start: 0, end: source.length }]);
    expect(parseTokens('{% platform hubspotx %}x{% endplatform %}', { hubOwned: true }).errors[0]?.message).toContain(
      'expected one of marketo',
    );
    expect(parseTokens('{% platform braze %}{{ x }}', { hubOwned: true }).errors[0]?.message).toContain(
      'never closed with {% endplatform %}',
    );
  });
});

describe('lexTokens', () => {
  it('finds outputs and tags with their names, skipping quoted closers and raw content', () => {
    const { lexemes, errors } = lexTokens('a {{ x | default: "}}" }} {% if y %}{% raw %}{{ z }}{% endraw %}{% for %}');
    expect(errors).toEqual([]);
    expect(lexemes.map((l) => [l.kind, l.name])).toEqual([
      ['output', ''],
      ['tag', 'if'],
      ['tag', 'raw'],
      ['tag', 'endraw'],
      ['tag', 'for'],
    ]);
    expect(lexemes[0]?.inner).toBe(' x | default: "}}" ');
  });

  it('stops at an unclosed opener: the rest is literal', () => {
    const { lexemes, errors } = lexTokens('{{ a }} {% if b {{ c }}');
    expect(lexemes).toHaveLength(1);
    expect(errors).toEqual([{ message: '{% is never closed with %}', start: 8, end: 23 }]);
  });

  it('agrees with parseTokens on every tag it reads (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom('{', '}', '%', '"', "'", ' ', 'x', 'contact.a', '|', 'default:', 'if', 'endif', 'raw', 'endraw'),
      fc.constantFrom(
        '{{ contact.a }}',
        '{% if contact.a %}',
        '{% endif %}',
        '{% else %}',
        '{% raw %}',
        '{% endraw %}',
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (pieces) => {
        const input = pieces.join('');
        const lexed = lexTokens(input);
        const parsed = parseTokens(input);
        const starts = new Set(lexed.lexemes.map((l) => l.start));
        for (const tag of parsed.tags) expect(starts.has(tag.start)).toBe(true);
      }),
    );
  });
});

describe('fallback escapes', () => {
  it('quoteLiteral round-trips any text through a fallback, with both quotes, backslashes and closers (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite' }), fc.string(), (text, after) => {
        const input = `Hi {{ contact.firstName | default: ${quoteLiteral(text)} }}${after.replace(/[{}]/g, '')}`;
        const parsed = parseTokens(input);
        expect(parsed.errors).toEqual([]);
        expect((parsed.nodes[1] as FieldNode).fallback).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('reads backslash-escaped backslashes and quotes as escapes and any other backslash as text', () => {
    const fallback = (source: string) =>
      (parseTokens(`{{ contact.x | default: ${source} }}`).nodes[0] as FieldNode).fallback;
    expect(fallback(String.raw`"Say \"hi\" it's %} done"`)).toBe('Say "hi" it\'s %} done');
    expect(fallback(String.raw`'it\'s'`)).toBe("it's");
    expect(fallback(String.raw`"C:\temp \\ x"`)).toBe('C:\\temp \\ x');
    expect(quoteLiteral('there')).toBe('"there"');
    expect(quoteLiteral('say "hi"')).toBe(`'say "hi"'`);
    expect(quoteLiteral(`"it's"`)).toBe(String.raw`"\"it's\""`);
  });
});
