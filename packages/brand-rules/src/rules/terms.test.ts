import { describe, expect, it } from 'vitest';
import { draftWith, kit, only, renderedEmail, template, withLocales } from '../__fixtures__/email.js';
import { lint } from '../engine/linter.js';
import type { LintConfig } from '../config/define-config.js';

const NOW = '2026-06-01';
const run = (draft: unknown, config: LintConfig) => lint({ brandKit: kit, template, draft, config, now: NOW });

describe('brand/banned-term', () => {
  const config = only('brand/banned-term') as LintConfig;

  it('finds a banned term in a slot, whatever its case, with the reason and exact offsets', () => {
    const result = run(
      draftWith((en) => {
        en.slots['hero-1'].headline = 'So CHEAP it hurts';
      }),
      config,
    );
    expect(result.diagnostics).toHaveLength(1);
    const [d] = result.diagnostics;
    expect(d?.ruleId).toBe('brand/banned-term');
    expect(d?.message).toBe('"CHEAP" is a banned term: we are affordable, not cheap');
    expect(d?.location).toMatchObject({
      source: 'draft',
      locale: 'en',
      instanceId: 'hero-1',
      moduleId: 'hero',
      slotId: 'headline',
      start: 3,
      end: 8,
      line: 1,
      column: 4,
    });
  });

  it('respects an explicit case-sensitive term', () => {
    expect(
      run(
        draftWith((en) => {
          en.slots['hero-1'].headline = 'ACME Inc is here';
        }),
        config,
      ).diagnostics,
    ).toHaveLength(1);
    expect(
      run(
        draftWith((en) => {
          en.slots['hero-1'].headline = 'Acme inc is here';
        }),
        config,
      ).diagnostics,
    ).toHaveLength(0);
  });

  it('matches whole words only', () => {
    expect(
      run(
        draftWith((en) => {
          en.slots['hero-1'].headline = 'Cheapside market';
        }),
        config,
      ).diagnostics,
    ).toHaveLength(0);
  });

  it('applies locale-restricted terms only in that language', () => {
    const draft = withLocales({ 'de-DE': { subject: 'Sehr günstig', slots: {} } }, (en) => {
      en.subject = 'Günstig is German';
    });
    const ids = run(draft, config).diagnostics.map((d) => d.location.locale);
    expect(ids).toEqual(['de-DE']);
  });

  it('checks subject, preheader, rich text, link text and alt, but not URLs', () => {
    const draft = draftWith((en) => {
      en.subject = 'cheap';
      en.preheader = 'cheap';
      en.slots['hero-1'].copy = '<p>Really <b>cheap</b></p>';
      en.slots['hero-1'].cta = {
        href: 'https://acme.example/cheap?utm_source=email&utm_medium=newsletter',
        text: 'Get cheap',
      };
      en.slots['hero-1'].pic = {
        src: 'https://cdn.acme.example/hero.jpg',
        alt: 'cheap tulips',
        assetId: 'hero-spring',
      };
    });
    const where = run(draft, config).diagnostics.map(
      (d) =>
        d.location.field ?? `${d.location.slotId}${d.location.property === undefined ? '' : `.${d.location.property}`}`,
    );
    expect(where.sort()).toEqual(['copy', 'cta.text', 'pic.alt', 'preheader', 'subject']);
  });

  it('honours a scope setting with negation', () => {
    const draft = draftWith((en) => {
      en.subject = 'cheap';
      en.slots['hero-1'].headline = 'cheap';
    });
    const scoped = run(draft, { rules: { 'brand/banned-term': { level: 'error', scope: ['subject'] } } });
    expect(scoped.diagnostics.map((d) => d.location.field)).toEqual(['subject']);
    const negated = run(draft, {
      rules: { 'brand/banned-term': { level: 'error', scope: ['body', 'subject', '~heading'] } },
    });
    expect(negated.diagnostics.map((d) => d.location.field)).toEqual(['subject']);
  });

  it('scopes by module, slot and role (heading, cta, footer)', () => {
    const draft = draftWith((en) => {
      en.slots['hero-1'].headline = 'cheap';
      en.slots['hero-1'].cta = { href: 'https://acme.example/?utm_source=email&utm_medium=newsletter', text: 'cheap' };
      en.slots['hero-1'].copy = '<p>cheap</p>';
    });
    const where = (scope: string[]) =>
      run(draft, { rules: { 'brand/banned-term': { level: 'error', scope } } })
        .diagnostics.map(
          (d) => `${d.location.slotId ?? ''}${d.location.property === undefined ? '' : `.${d.location.property}`}`,
        )
        .sort();
    expect(where(['slot:headline'])).toEqual(['headline']);
    expect(where(['module:hero', '~slot:copy'])).toEqual(['cta.text', 'headline']);
    expect(where(['module:footer'])).toEqual([]);
    expect(where(['heading'])).toEqual(['headline']);
    expect(where(['cta'])).toEqual(['cta.text']);
    const footerRole = lint({
      brandKit: kit,
      template,
      draft,
      now: NOW,
      config: {
        rules: { 'brand/banned-term': { level: 'error', scope: ['footer'] } },
        roles: { 'hero.copy': 'footer' },
      },
    });
    expect(footerRole.diagnostics.map((d) => d.location.slotId)).toEqual(['copy']);
  });

  it('adds terms from options', () => {
    const draft = draftWith((en) => {
      en.slots['hero-1'].headline = 'A bargain';
    });
    const result = run(draft, {
      rules: { 'brand/banned-term': ['error', { terms: [{ term: 'bargain', caseSensitive: false }] }] },
    });
    expect(result.diagnostics).toHaveLength(1);
  });

  it('locates findings in rendered HTML by line and column, and by slot through slot spans', () => {
    const rendered = renderedEmail({
      slots: [{ instanceId: 'hero-1', slotId: 'headline', html: '<h1>Too\ncheap &amp; cheerful</h1>' }],
    });
    const result = lint({ brandKit: kit, template, rendered, config, now: NOW });
    const [d] = result.diagnostics;
    expect(d?.location).toMatchObject({ source: 'html', instanceId: 'hero-1', slotId: 'headline', line: 2, column: 1 });
    expect(rendered.html.slice(d?.location.start, d?.location.end)).toBe('cheap');
  });
});

describe('brand/preferred-term', () => {
  const config = only('brand/preferred-term') as LintConfig;
  const headline = (text: string) =>
    run(
      draftWith((en) => {
        en.slots['hero-1'].headline = text;
      }),
      config,
    );

  it('replaces the term and keeps the case of the replaced word', () => {
    const cases: [string, string][] = [
      ['please login', 'sign in'],
      ['Login now', 'Sign in'],
      ['LOGIN NOW', 'SIGN IN'],
      ['Log In Today', 'Sign In'],
    ];
    for (const [text, expected] of cases) {
      const [d] = headline(text).diagnostics;
      expect(d?.fix?.edits[0]?.text, text).toBe(expected);
    }
  });

  it('keeps a case-sensitive replacement exactly as written', () => {
    const [d] = headline('Try Acme cloud').diagnostics;
    expect(d?.fix?.edits[0]?.text).toBe('AcmeCloud');
    expect(headline('Try acme cloud').diagnostics).toHaveLength(0);
  });

  it('fixes, and fixing twice changes nothing more', () => {
    const draft = draftWith((en) => {
      en.slots['hero-1'].headline = 'Login to read your e-mail, then log in again';
    });
    const first = lint({ brandKit: kit, template, draft, config, now: NOW, fix: true });
    expect(first.fixed?.draft?.content.en?.slots['hero-1']?.headline).toBe(
      'Sign in to read your email, then sign in again',
    );
    expect(first.diagnostics).toHaveLength(0);
    const second = lint({ brandKit: kit, template, draft: first.fixed?.draft, config, now: NOW, fix: true });
    expect(second.fixed?.edits).toBe(0);
    expect(second.fixed?.draft).toEqual(first.fixed?.draft);
  });

  it('finds a term across inline tags but offers no fix that would delete markup', () => {
    const rendered = renderedEmail({
      slots: [{ instanceId: 'hero-1', slotId: 'copy', html: '<p>Please log <b>in</b> now</p>' }],
    });
    const [d] = lint({ brandKit: kit, template, rendered, config, now: NOW }).diagnostics;
    expect(d?.message).toBe('Use "sign in" instead of "log in"');
    expect(d?.fix).toBeUndefined();
  });

  it('does not flag the preferred word itself', () => {
    expect(headline('Please sign in').diagnostics).toHaveLength(0);
  });

  it('fixes inside rendered HTML, escaping for HTML and keeping tags', () => {
    const rendered = renderedEmail({
      slots: [{ instanceId: 'hero-1', slotId: 'copy', html: '<p>Use your <b>e-mail</b> to login &amp; save</p>' }],
    });
    const result = lint({ brandKit: kit, template, rendered, config, now: NOW, fix: true });
    expect(result.fixed?.rendered[0]?.html).toContain('<p>Use your <b>email</b> to sign in &amp; save</p>');
    expect(result.fixed?.rendered[0]?.bytes).toBe(Buffer.byteLength(result.fixed?.rendered[0]?.html ?? ''));
    expect(result.fixed?.rendered[0]?.contentHash).not.toBe(rendered.contentHash);
    // The slot span moved with the edits and still covers the slot's content.
    const span = result.fixed?.rendered[0]?.slotSpans?.[0];
    expect(result.fixed?.rendered[0]?.html.slice(span?.start, span?.end)).toBe(
      '<p>Use your <b>email</b> to sign in &amp; save</p>',
    );
  });
});
