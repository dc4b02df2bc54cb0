import { describe, expect, it } from 'vitest';
import { PushEmailInputSchema } from './connector.js';
import { compareDiagnostics, countDiagnostics, type Diagnostic } from './diagnostic.js';
import { lockLevelName } from './template.js';

const d = (ruleId: string, severity: Diagnostic['severity'], location: Diagnostic['location'] = {}): Diagnostic => ({
  ruleId,
  severity,
  message: ruleId,
  location,
});

describe('diagnostic helpers', () => {
  it('counts per severity', () => {
    expect(countDiagnostics([d('a/x', 'error'), d('a/y', 'warning'), d('a/z', 'error')])).toEqual({
      error: 2,
      warning: 1,
      suggestion: 0,
    });
    expect(countDiagnostics([])).toEqual({ error: 0, warning: 0, suggestion: 0 });
  });

  it('orders by locale, instance, slot, position, then severity and rule', () => {
    const list = [
      d('b/rule', 'warning', { locale: 'en', instanceId: 'hero-1', slotId: 'cta', line: 2 }),
      d('a/rule', 'suggestion', { locale: 'en', instanceId: 'hero-1', slotId: 'cta', line: 1 }),
      d('z/rule', 'error', { locale: 'de', instanceId: 'hero-1' }),
      d('c/rule', 'warning', { locale: 'en', instanceId: 'hero-1', slotId: 'cta', line: 2 }),
      d('c/rule', 'error', { locale: 'en', instanceId: 'hero-1', slotId: 'cta', line: 2 }),
    ];
    expect([...list].sort(compareDiagnostics).map((x) => `${x.ruleId}:${x.severity}`)).toEqual([
      'z/rule:error',
      'a/rule:suggestion',
      'c/rule:error',
      'b/rule:warning',
      'c/rule:warning',
    ]);
  });
});

describe('small schema helpers', () => {
  it('names lock levels', () => {
    expect(lockLevelName('textOnly')).toBe('textOnly');
    expect(lockLevelName({ custom: { href: 'locked' } })).toBe('custom');
  });

  it('requires a rendered email in a push input', () => {
    const base = { draftId: 'd1', draftVersion: 1, locale: 'en', name: 'Spring' };
    expect(PushEmailInputSchema.safeParse({ ...base, email: { html: '<p>x</p>' } }).success).toBe(true);
    expect(PushEmailInputSchema.safeParse({ ...base, email: 'html' }).success).toBe(false);
  });
});
