import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findTokens } from '../text/tokens.js';
import { cleanModelText, stripUntrusted } from './untrusted-output.js';

describe('cleanModelText', () => {
  it('removes markup, whole script elements and event handlers with their tags', () => {
    const { text, removed } = cleanModelText(
      'Spring <b>sale</b><script>alert(1)</script> <img src=x onerror=alert(1)>now',
    );
    expect(text).toBe('Spring sale now');
    expect(removed).toEqual(expect.arrayContaining(['<script>alert(1)</script>', '<b>', '</b>']));
  });

  it('does not let removed tags join into new ones', () => {
    expect(cleanModelText('<scr<b>ipt>alert(1)</scr</b>ipt>').text).not.toMatch(/<\/?script/i);
    expect(cleanModelText('<<b>script>x').text).not.toMatch(/<script/i);
  });

  it('keeps tokens the spoke typed and removes invented ones and stray delimiters', () => {
    const allowed = ['{{ contact.firstName | default: "there" }}'];
    const { text, removed } = cleanModelText(
      '{{contact.firstName | default: "there"}}, see {{ contact.password }} {% if x %}now}}',
      { allowedTokens: allowed },
    );
    expect(text).toBe('{{contact.firstName | default: "there"}}, see now');
    expect(removed).toEqual(['{{ contact.password }}', '{% if x %}', '}}']);
  });

  it('removes invisible and bidi-override characters but keeps emoji sequences', () => {
    expect(cleanModelText('Sale\u202Eevil\u200B now 👩‍💻\u0007').text).toBe('Saleevil now 👩‍💻');
  });

  it('strips the quotes and list markers models wrap answers in, and folds lines when asked', () => {
    expect(cleanModelText('1. "Spring is here"').text).toBe('Spring is here');
    expect(cleanModelText('“Spring”').text).toBe('Spring');
    expect(cleanModelText('"A" and "B"').text).toBe('"A" and "B"');
    expect(cleanModelText('a\n\n b', { singleLine: true }).text).toBe('a b');
    expect(cleanModelText('Save <50% today').text).toBe('Save <50% today');
  });

  it('stripUntrusted can leave markup alone for already-decoded text', () => {
    expect(stripUntrusted('use the <b> tag {{ x }}', [], { markup: false }).text).toBe('use the <b> tag ');
  });

  it('never returns tags, unknown tokens or bidi controls, and is idempotent (property)', () => {
    const piece = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '<script>',
        '</script>',
        '<b>',
        '<',
        '>',
        '{{ a }}',
        '{%',
        '%}',
        '\u202E',
        '<!--',
        '-->',
        '<scr',
        'ipt>',
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 25 }), (pieces) => {
        const once = cleanModelText(pieces.join(''), { singleLine: true }).text;
        expect(once).not.toMatch(/<\/?[A-Za-z][^<>]*>|\u202E/);
        expect(findTokens(once)).toEqual([]);
        expect(cleanModelText(once, { singleLine: true }).text).toBe(once);
      }),
    );
  });
});
