import { describe, expect, it } from 'vitest';
import { draftWith, kit, template } from '../__fixtures__/email.js';
import type { LintConfig } from '../config/define-config.js';
import type { DataRuleInput } from '../config/schema.js';
import { lint } from '../engine/linter.js';

const NOW = '2026-06-01';
function run(rule: DataRuleInput, edit: Parameters<typeof draftWith>[0], fix = false) {
  const config: LintConfig = { dataRules: { 'acme/rule': rule } };
  return lint({ brandKit: kit, template, draft: draftWith(edit), config, now: NOW, fix });
}

describe('data rules (Vale kinds)', () => {
  it('existence: per-token case sensitivity, whole words, exceptions, nonword', () => {
    const rule: DataRuleInput = {
      kind: 'existence',
      message: 'Avoid "%s"',
      tokens: ['synergy', { term: 'AI', caseSensitive: true }],
      exceptions: ['Synergy'],
    };
    expect(
      run(rule, (en) => {
        en.slots['hero-1'].headline = 'synergy with AI, not ai, Synergy';
      }).diagnostics.map((d) => d.message),
    ).toEqual(['Avoid "synergy"', 'Avoid "AI"']);
    const nonword: DataRuleInput = { kind: 'existence', message: 'No "%s"', tokens: ['tm'], nonword: true };
    expect(
      run(nonword, (en) => {
        en.slots['hero-1'].headline = 'Acmetm';
      }).diagnostics,
    ).toHaveLength(1);
    expect(
      run({ ...nonword, nonword: false }, (en) => {
        en.slots['hero-1'].headline = 'Acmetm';
      }).diagnostics,
    ).toHaveLength(0);
  });

  it('substitution: fixes keeping case, and the default level is warning', () => {
    const rule: DataRuleInput = {
      kind: 'substitution',
      message: 'Use "%s", not "%s"',
      swap: { 'e-mail': 'email', 'web site': 'website' },
    };
    const result = run(
      rule,
      (en) => {
        en.slots['hero-1'].headline = 'Our Web Site and E-mail';
      },
      true,
    );
    expect(result.fixed?.draft?.content.en?.slots['hero-1']?.headline).toBe('Our Website and Email');
    const report = run(rule, (en) => {
      en.slots['hero-1'].headline = 'e-mail';
    });
    expect(report.diagnostics[0]).toMatchObject({
      severity: 'warning',
      message: 'Use "email", not "e-mail"',
      ruleId: 'acme/rule',
    });
  });

  it('occurrence: at most one exclamation mark per subject', () => {
    const rule: DataRuleInput = {
      kind: 'occurrence',
      message: '%s exclamation marks',
      token: '!',
      max: 1,
      scope: 'subject',
    };
    expect(
      run(rule, (en) => {
        en.subject = 'Hi! Now!';
      }).diagnostics.map((d) => d.message),
    ).toEqual(['2 exclamation marks']);
    expect(
      run(rule, (en) => {
        en.subject = 'Hi!';
        en.slots['hero-1'].headline = 'A!!!';
      }).diagnostics,
    ).toHaveLength(0);
    const min: DataRuleInput = {
      kind: 'occurrence',
      message: 'needs %s',
      token: 'acme',
      ignorecase: true,
      min: 1,
      scope: 'subject',
    };
    expect(
      run(min, (en) => {
        en.subject = 'Spring';
      }).diagnostics,
    ).toHaveLength(1);
  });

  it('consistency: flags the less used variant within a locale', () => {
    const rule: DataRuleInput = {
      kind: 'consistency',
      message: '"%s": this email also writes "%s"',
      either: { 'e-mail': 'email' },
    };
    const result = run(rule, (en) => {
      en.subject = 'Your email';
      en.slots['hero-1'].headline = 'e-mail or email';
    });
    expect(result.diagnostics.map((d) => d.message)).toEqual(['"e-mail": this email also writes "email"']);
    expect(
      run(rule, (en) => {
        en.slots['hero-1'].headline = 'email only';
      }).diagnostics,
    ).toHaveLength(0);
  });

  it('conditional: an acronym must be defined somewhere', () => {
    const rule: DataRuleInput = {
      kind: 'conditional',
      message: '"%s" is not defined',
      first: '\\b([A-Z]{3,5})\\b',
      second: '(?:\\b[A-Z][a-z]+ )+\\(([A-Z]{3,5})\\)',
      exceptions: ['FAQ'],
    };
    expect(
      run(rule, (en) => {
        en.slots['hero-1'].headline = 'Read the FAQ about CRM';
      }).diagnostics.map((d) => d.message),
    ).toEqual(['"CRM" is not defined']);
    expect(
      run(rule, (en) => {
        en.slots['hero-1'].headline = 'Customer Relationship Management (CRM) helps. CRM rocks.';
      }).diagnostics,
    ).toHaveLength(0);
  });

  it('capitalization: headings in sentence case, with a suggestion', () => {
    const rule: DataRuleInput = {
      kind: 'capitalization',
      message: 'Use sentence case: "%s"',
      match: '$sentence',
      scope: 'heading',
      exceptions: ['Berlin'],
    };
    const [d] = run(rule, (en) => {
      en.slots['hero-1'].headline = 'Fresh Flowers From Berlin';
    }).diagnostics;
    expect(d?.suggestions?.[0]?.edits[0]?.text).toBe('Fresh flowers from Berlin');
    expect(
      run(rule, (en) => {
        en.slots['hero-1'].headline = 'Fresh flowers from Berlin';
      }).diagnostics,
    ).toHaveLength(0);
    const title: DataRuleInput = { kind: 'capitalization', message: 'Title case', match: '$title', scope: 'heading' };
    expect(
      run(title, (en) => {
        en.slots['hero-1'].headline = 'Fresh Flowers for the Weekend';
      }).diagnostics,
    ).toHaveLength(0);
    expect(
      run(title, (en) => {
        en.slots['hero-1'].headline = 'Fresh flowers';
      }).diagnostics,
    ).toHaveLength(1);
  });

  it('readability: grade over chosen metrics', () => {
    const rule: DataRuleInput = {
      kind: 'readability',
      message: 'Grade %s',
      metrics: ['automated-readability', 'coleman-liau'],
      grade: 8,
      minWords: 5,
      scope: 'heading',
    };
    expect(
      run(rule, (en) => {
        en.slots['hero-1'].headline = 'Comprehensive organizational transformation necessitates communication.';
      }).diagnostics,
    ).toHaveLength(1);
    expect(
      run(rule, (en) => {
        en.slots['hero-1'].headline = 'We have new red and blue flowers.';
      }).diagnostics,
    ).toHaveLength(0);
  });

  it('pattern: regex with an optional replacement fix', () => {
    const rule: DataRuleInput = { kind: 'pattern', message: 'Double space', pattern: ' {2,}', replace: ' ' };
    const result = run(
      rule,
      (en) => {
        en.slots['hero-1'].headline = 'Fresh  flowers   now';
      },
      true,
    );
    expect(result.fixed?.draft?.content.en?.slots['hero-1']?.headline).toBe('Fresh flowers now');
    const noFix: DataRuleInput = { kind: 'pattern', message: 'Price "%s"', pattern: '\\$(\\d+)', scope: 'body' };
    expect(
      run(noFix, (en) => {
        en.slots['hero-1'].headline = 'Now $5';
      }).diagnostics.map((d) => [d.message, d.fix]),
    ).toEqual([['Price "$5"', undefined]]);
  });
});
