import { describe, expect, it } from 'vitest';
import { parseTokens } from './grammar.js';
import { evaluate, fieldUses, isPresent, personalizedText, textWithoutData } from './evaluate.js';

describe('isPresent and evaluate', () => {
  it('treats missing, null, false and blank as absent', () => {
    expect([undefined, null, false, '', '  '].map(isPresent)).toEqual([false, false, false, false, false]);
    expect([0, true, 'x'].map(isPresent)).toEqual([true, true, true]);
  });

  it('compares as strings and negates', () => {
    const c = { type: 'compare', path: 'contact.n', op: '==', value: 3 } as const;
    expect(evaluate(c, { 'contact.n': '3' })).toBe(true);
    expect(evaluate({ ...c, op: '!=' }, undefined)).toBe(true);
    expect(evaluate({ type: 'present', path: 'contact.n', negated: true }, undefined)).toBe(true);
  });
});

describe('personalizedText and textWithoutData', () => {
  const text =
    'Hi {{ contact.firstName | default: "there" }}{% if contact.vip %}, VIP{% elsif not contact.tier %}!{% endif %}';

  it('shows values, fallbacks and the branch that holds', () => {
    const { nodes } = parseTokens(text);
    expect(personalizedText(nodes, { 'contact.firstName': 'Ana', 'contact.vip': true })).toBe('Hi Ana, VIP');
    expect(textWithoutData(text)).toBe('Hi there!');
  });

  it('keeps syntax errors literal and leaves hub platform code out', () => {
    expect(textWithoutData('{{ nope }} x')).toBe('{{ nope }} x');
    const { nodes } = parseTokens('a{% platform sfmc %}%%FirstName%%{% endplatform %}b', { hubOwned: true });
    expect(personalizedText(nodes)).toBe('ab');
  });
});

describe('fieldUses', () => {
  it('says where a fallback goes and which tokens a condition guards', () => {
    const text =
      '{{ contact.a }} {% if contact.a %}{{contact.a  }}{% else %}{{ contact.a }}{% endif %}{% if contact.b == "x" and contact.c %}{{ contact.b }}{{ contact.c }}{% endif %}{% if contact.d or contact.e %}{{ contact.d }}{% endif %}';
    const uses = fieldUses(text);
    expect(uses.map((u) => [u.node.path, u.guarded])).toEqual([
      ['contact.a', false],
      ['contact.a', true],
      ['contact.a', false],
      ['contact.b', true],
      ['contact.c', true],
      ['contact.d', false],
    ]);
    expect(uses[0]?.insertAt).toBe(12);
    expect(text.slice(uses[1]?.insertAt, uses[1]?.node.end)).toBe('  }}');
  });
});
