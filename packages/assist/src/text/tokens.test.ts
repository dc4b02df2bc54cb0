import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { controlTagName, findTokens, tokenKey } from './tokens.js';

describe('findTokens', () => {
  it('finds output tokens and control tags, with quoted delimiters inside', () => {
    const text =
      'Hi {{ contact.firstName | default: "}} friend" }}! {% if contact.vip %}VIP{% elsif x %}y{% else %}z{% endif %}';
    expect(findTokens(text).map((t) => [t.kind, t.text])).toEqual([
      ['output', '{{ contact.firstName | default: "}} friend" }}'],
      ['control', '{% if contact.vip %}'],
      ['control', '{% elsif x %}'],
      ['control', '{% else %}'],
      ['control', '{% endif %}'],
    ]);
  });

  it('reads like the template engine: single braces are text, an unclosed opener ends the tokens', () => {
    expect(findTokens('{ a } {{ b {% c')).toEqual([]);
    expect(findTokens('{{ a }} {% b').map((t) => t.text)).toEqual(['{{ a }}']);
    expect(findTokens('{{ a "unclosed }}').map((t) => t.text)).toEqual(['{{ a "unclosed }}']);
    expect(findTokens('{{{ x }}').map((t) => t.text)).toEqual(['{{{ x }}']);
    expect(findTokens('a {% platform sfmc %}%%[ x ]%%{% endplatform %} b').map((t) => t.text)).toEqual([
      '{% platform sfmc %}%%[ x ]%%{% endplatform %}',
    ]);
  });

  it('names control tags and compares tokens ignoring inner spacing', () => {
    expect(controlTagName('{%- elsif a %}')).toBe('elsif');
    expect(controlTagName('{{ x }}')).toBe('');
    expect(tokenKey('{{contact.firstName}}')).toBe(tokenKey('{{  contact.firstName   }}'));
    expect(tokenKey('{% if a %}')).toBe(tokenKey('{%if   a%}'));
  });

  it('returns ordered, non-overlapping spans that match the text (property)', () => {
    const piece = fc.oneof(
      fc.string(),
      fc.constantFrom('{{', '}}', '{%', '%}', '"', "'", '\\', '{{ a }}', '{% if b %}'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (pieces) => {
        const text = pieces.join('');
        let end = 0;
        for (const span of findTokens(text)) {
          expect(span.start).toBeGreaterThanOrEqual(end);
          expect(text.slice(span.start, span.end)).toBe(span.text);
          expect(span.text.startsWith(span.kind === 'output' ? '{{' : '{%')).toBe(true);
          expect(span.text.endsWith(span.kind === 'output' ? '}}' : '%}')).toBe(true);
          end = span.end;
        }
      }),
    );
  });
});
