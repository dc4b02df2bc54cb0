import { isHubspokeError } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { cleanDraft, draftWith, kit, template, withLocales } from '../__fixtures__/email.js';
import { createLinter, lint } from '../engine/linter.js';
import { defineConfig, flattenConfig, settingsFor, type LintConfig } from './define-config.js';
import { presets } from './presets.js';

const NOW = '2026-06-01';

function thrown(fn: () => unknown): {
  code: string;
  path: string | undefined;
  message: string;
  hint: string | undefined;
} {
  try {
    fn();
  } catch (error) {
    if (isHubspokeError(error)) return { code: error.code, path: error.path, message: error.message, hint: error.hint };
    throw error;
  }
  throw new Error('expected a HubspokeError');
}

describe('defineConfig and extends', () => {
  const hub = defineConfig({
    name: 'hub',
    extends: ['hubspoke/recommended'],
    rules: { 'brand/link-utm': ['error', { params: { utm_campaign: 'spring' } }] },
  });
  const emea = defineConfig({
    name: 'emea',
    extends: [hub],
    rules: { 'brand/readability': 'off', 'brand/link-utm': 'warning' },
  });
  const local = defineConfig({
    name: 'berlin',
    extends: [emea],
    minLevel: 'warning',
    rules: { 'brand/readability': 'suggestion' },
  });

  it('applies hub preset → regional overlay → local, later wins; a level alone keeps earlier options', () => {
    const resolved = flattenConfig(local, presets);
    expect(resolved.minLevel).toBe('warning');
    expect(resolved.rules.get('brand/readability')?.level).toBe('suggestion');
    expect(resolved.rules.get('brand/link-utm')).toMatchObject({
      level: 'warning',
      options: { params: { utm_campaign: 'spring' } },
    });
    expect(resolved.rules.get('brand/banned-term')?.level).toBe('error');
  });

  it('defaults to hubspoke/recommended, and hubspoke/strict fails on warnings', () => {
    const draft = draftWith((en) => {
      en.slots['hero-1'].headline = 'Please login';
    });
    const recommended = lint({ brandKit: kit, template, draft, now: NOW });
    expect(recommended.counts).toEqual({ error: 0, warning: 1, suggestion: 0 });
    expect(recommended.failed).toBe(false);
    const strict = lint({ brandKit: kit, template, draft, now: NOW, config: { extends: ['hubspoke/strict'] } });
    expect(strict.counts.error).toBe(1);
    expect(strict.failed).toBe(true);
  });

  it('minLevel decides when a run fails', () => {
    const draft = draftWith((en) => {
      en.slots['hero-1'].headline = 'Please login';
    });
    expect(
      lint({
        brandKit: kit,
        template,
        draft,
        now: NOW,
        config: { extends: ['hubspoke/recommended'], minLevel: 'warning' },
      }).failed,
    ).toBe(true);
    expect(
      lint({
        brandKit: kit,
        template,
        draft: cleanDraft,
        now: NOW,
        config: { extends: ['hubspoke/recommended'], minLevel: 'suggestion' },
      }).failed,
    ).toBe(false);
  });

  it('overrides apply per locale and region', () => {
    const config: LintConfig = {
      extends: ['hubspoke/recommended'],
      overrides: [
        { locales: ['de'], rules: { 'brand/banned-term': 'off' } },
        { regions: ['NA'], rules: { 'brand/banned-term': 'warning' } },
      ],
    };
    const resolved = flattenConfig(config, presets);
    expect(settingsFor(resolved, 'de-AT', 'EMEA').rules.get('brand/banned-term')?.level).toBe('off');
    expect(settingsFor(resolved, 'en', 'NA').rules.get('brand/banned-term')?.level).toBe('warning');
    expect(settingsFor(resolved, 'en', undefined).rules.get('brand/banned-term')?.level).toBe('error');
    const draft = withLocales({ 'de-DE': { subject: 'cheap', slots: {} } }, (en) => {
      en.subject = 'cheap';
    });
    const result = lint({
      brandKit: kit,
      template,
      draft,
      now: NOW,
      config: { rules: { 'brand/banned-term': 'error' }, overrides: config.overrides ?? [] },
    });
    expect(result.diagnostics.map((d) => d.location.locale)).toEqual(['en']);
  });

  it('accepts the object form with a scope', () => {
    const resolved = flattenConfig(
      { rules: { 'brand/banned-term': { level: 'warning', scope: ['heading', '~footer'] } } },
      presets,
    );
    expect(resolved.rules.get('brand/banned-term')).toMatchObject({ level: 'warning', scope: ['heading', '~footer'] });
  });
});

describe('bad config', () => {
  it('names an unknown rule id, with a suggestion', () => {
    const e = thrown(() => createLinter({ brandKit: kit, config: { rules: { 'brand/baned-term': 'error' } } }));
    expect(e).toMatchObject({
      code: 'E_VALIDATION',
      path: 'config.rules["brand/baned-term"]',
      hint: 'Did you mean "brand/banned-term"?',
    });
    expect(e.message).toContain('unknown rule "brand/baned-term"');
  });

  it('names the path of invalid rule options, also in an extended config', () => {
    const overlay: LintConfig = { rules: { 'brand/subject-line': ['error', { maxLength: -1 }] } };
    const e = thrown(() => createLinter({ brandKit: kit, config: { extends: [overlay] } }));
    expect(e.code).toBe('E_VALIDATION');
    expect(e.path).toBe('config.extends[0].rules["brand/subject-line"].options.maxLength');
    const extra = thrown(() =>
      createLinter({ brandKit: kit, config: { rules: { 'brand/legal-text': ['error', { x: 1 }] } } }),
    );
    expect(extra.message).toContain('takes no options');
  });

  it('rejects bad levels, scopes, unknown keys, regexes, presets and cycles', () => {
    expect(thrown(() => defineConfig({ rules: { 'brand/banned-term': 'fatal' as never } })).path).toBe(
      'config.rules["brand/banned-term"]',
    );
    expect(
      thrown(() =>
        createLinter({
          brandKit: kit,
          config: { rules: { 'brand/banned-term': { level: 'error', scope: ['body', 'headline'] } } },
        }),
      ).path,
    ).toBe('config.rules["brand/banned-term"].scope[1]');
    expect(thrown(() => defineConfig({ rulez: {} } as never)).path).toBe('config.rulez');
    expect(
      thrown(() => defineConfig({ dataRules: { 'acme/x': { kind: 'pattern', message: 'x', pattern: '(' } } })).path,
    ).toBe('config.dataRules["acme/x"].pattern');
    expect(thrown(() => defineConfig({ dataRules: { 'acme/x': { kind: 'vibes', message: 'x' } as never } })).path).toBe(
      'config.dataRules["acme/x"].kind',
    );
    expect(thrown(() => createLinter({ brandKit: kit, config: { extends: ['hubspoke/lenient'] } })).path).toBe(
      'config.extends[0]',
    );
    const loop: { extends: LintConfig[] } = { extends: [] };
    loop.extends.push(loop);
    expect(thrown(() => createLinter({ brandKit: kit, config: loop })).message).toContain('extends itself');
    expect(thrown(() => defineConfig(null as never)).code).toBe('E_VALIDATION');
  });

  it('rejects an invalid brand kit, naming the path', () => {
    const e = thrown(() => createLinter({ brandKit: { ...kit, palette: [{ name: 'Red', hex: 'red' }] } }));
    expect(e).toMatchObject({ code: 'E_VALIDATION', path: 'brandKit.palette[0].hex' });
  });
});
