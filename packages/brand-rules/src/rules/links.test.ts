import { describe, expect, it } from 'vitest';
import { draftWith, kit, only, renderedEmail, template } from '../__fixtures__/email.js';
import type { LintConfig } from '../config/define-config.js';
import { lint } from '../engine/linter.js';
import { classifyHref, hostAllowed } from './links.js';

const NOW = '2026-06-01';
const withCta = (href: string, config: LintConfig, fix = false) =>
  lint({
    brandKit: kit,
    template,
    draft: draftWith((en) => {
      en.slots['hero-1'].cta = { href, text: 'Shop now' };
    }),
    config,
    now: NOW,
    fix,
  });
const utm = '?utm_source=email&utm_medium=newsletter';

describe('link helpers', () => {
  it('classifies hrefs', () => {
    expect(classifyHref('{{ view_in_browser }}').kind).toBe('skip');
    expect(classifyHref('mailto:a@b.example').kind).toBe('skip');
    expect(classifyHref('#top').kind).toBe('skip');
    expect(classifyHref(' JavaScript:alert(1)')).toEqual({ kind: 'unsafe', scheme: 'javascript' });
    expect(classifyHref('data:text/html,<script>').kind).toBe('unsafe');
    expect(classifyHref('/shop').kind).toBe('relative');
    expect(classifyHref('https://acme.example/').kind).toBe('web');
  });

  it('matches domains and wildcard subdomains', () => {
    expect(hostAllowed('acme.example', ['acme.example'])).toBe(true);
    expect(hostAllowed('shop.acme.example', ['*.acme.example'])).toBe(true);
    expect(hostAllowed('evilacme.example', ['*.acme.example'])).toBe(false);
    expect(hostAllowed('acme.example.evil.test', ['acme.example'])).toBe(false);
  });
});

describe('brand/link-https', () => {
  const config = only('brand/link-https') as LintConfig;
  it("fixes http to https on the brand's own domains and only suggests it elsewhere", () => {
    const [own] = withCta(`http://acme.example/shop${utm}`, config).diagnostics;
    expect(own?.message).toBe(`Link uses http: http://acme.example/shop${utm}`);
    expect(own?.fix?.edits[0]?.text).toBe(`https://acme.example/shop${utm}`);
    const [other] = withCta(`http://partner.example/shop${utm}`, config).diagnostics;
    expect(other?.fix).toBeUndefined();
    expect(other?.suggestions?.[0]?.edits[0]?.text).toBe(`https://partner.example/shop${utm}`);
    const openKit = { ...kit, links: { ...kit.links, allowedDomains: [] } };
    const draft = draftWith((en) => {
      en.slots['hero-1'].cta = { href: `http://acme.example/shop${utm}`, text: 'Shop now' };
    });
    const [anyDomain] = lint({ brandKit: openKit, template, draft, config, now: NOW }).diagnostics;
    expect(anyDomain?.fix).toBeUndefined();
    expect(withCta(`https://acme.example/shop${utm}`, config).diagnostics).toHaveLength(0);
  });
  it('flags script schemes and relative links', () => {
    expect(withCta('javascript:alert(document.cookie)', config).diagnostics[0]?.message).toMatch(
      /"javascript:" scheme/,
    );
    expect(withCta('/shop', config).diagnostics[0]?.message).toMatch(/not an absolute URL/);
  });
  it('checks links in rendered HTML too', () => {
    const rendered = renderedEmail({
      slots: [{ instanceId: 'hero-1', slotId: 'copy', html: '<a href="http://partner.example/">x</a>' }],
    });
    const [d] = lint({ brandKit: kit, template, rendered, config, now: NOW }).diagnostics;
    expect(d?.location).toMatchObject({ source: 'html', instanceId: 'hero-1', slotId: 'copy' });
    expect(rendered.html.slice(d?.suggestions?.[0]?.edits[0]?.start, d?.suggestions?.[0]?.edits[0]?.end)).toBe(
      'http://partner.example/',
    );
  });
});

describe('brand/link-domain', () => {
  const config = only('brand/link-domain') as LintConfig;
  it('allows the kit domains and options.allow', () => {
    expect(withCta('https://shop.acme.example/', config).diagnostics).toHaveLength(0);
    expect(withCta('https://tracker.example.net/x', config).diagnostics[0]?.message).toBe(
      'Link to "tracker.example.net" is not on an allowed domain (acme.example, *.acme.example)',
    );
    expect(
      withCta('https://tracker.example.net/x', {
        rules: { 'brand/link-domain': ['error', { allow: ['tracker.example.net'] }] },
      }).diagnostics,
    ).toHaveLength(0);
  });
});

describe('brand/link-utm', () => {
  const config = only('brand/link-utm') as LintConfig;
  it('adds the missing parameters (before the fragment) as a safe fix, and fixing twice changes nothing more', () => {
    const result = withCta('https://acme.example/shop?utm_source=email#top', config, true);
    expect(result.fixed?.draft?.content.en?.slots['hero-1']?.cta).toEqual({
      href: 'https://acme.example/shop?utm_source=email&utm_medium=newsletter#top',
      text: 'Shop now',
    });
    expect(result.diagnostics).toHaveLength(0);
    const again = lint({ brandKit: kit, template, draft: result.fixed?.draft, config, now: NOW, fix: true });
    expect(again.fixed?.edits).toBe(0);
  });
  it('only tracks links on the brand domains', () => {
    expect(withCta('https://partner.example.org/', config).diagnostics).toHaveLength(0);
  });
  it('escapes the fixed URL for HTML attributes', () => {
    const rendered = renderedEmail({
      slots: [{ instanceId: 'hero-1', slotId: 'copy', html: '<a href="https://acme.example/?a=1&amp;b=2">x</a>' }],
    });
    const result = lint({ brandKit: kit, template, rendered, config, now: NOW, fix: true });
    expect(result.fixed?.rendered[0]?.html).toContain(
      'href="https://acme.example/?a=1&amp;b=2&amp;utm_source=email&amp;utm_medium=newsletter"',
    );
  });
});
