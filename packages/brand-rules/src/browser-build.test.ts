import { describe, expect, it } from 'vitest';
import { draftWith, kit, renderedEmail, template } from './__fixtures__/email.js';
import * as node from './index.js';

// The browser build is made by `pnpm build` (turbo builds before it tests).
const built = new URL('../dist/browser/index.js', import.meta.url);

describe('@hubspoke/brand-rules/browser (run `pnpm build` first)', () => {
  it('lints exactly like the Node build', async () => {
    const browser = (await import(built.href)) as typeof node;
    const draft = draftWith((en) => {
      en.subject = 'FREE!!! cheap deals';
      en.slots['hero-1'] = {
        ...en.slots['hero-1'],
        headline: 'So cheap it hurts',
        cta: { href: 'http://northwind.example/x', text: 'click here' },
      };
    });
    const input = { brandKit: kit, template, draft, rendered: renderedEmail(), now: new Date('2026-06-01') };
    const expected = node.lint(input);
    expect(expected.diagnostics.length).toBeGreaterThan(2);
    expect(browser.lint(input).diagnostics).toEqual(expected.diagnostics);
  });

  it('leaves the ReDoS analysis to the Node build, keeping the input cap', async () => {
    const browser = (await import(built.href)) as typeof node;
    expect(node.findRegexHazard('(a+)+$', 'u')?.kind).toBe('exponential');
    expect(browser.findRegexHazard('(a+)+$', 'u')).toBeUndefined();
    expect(browser.MAX_REGEX_INPUT).toBe(node.MAX_REGEX_INPUT);
  });
});
