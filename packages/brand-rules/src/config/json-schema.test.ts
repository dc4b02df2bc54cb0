import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintConfigJsonSchema } from './json-schema.js';
import { recommended, strict } from './presets.js';
import { ConfigDataSchema } from './schema.js';

// strictTuples would flag `[level, ...options]`, an open-ended tuple on purpose.
const validate = new Ajv2020({ allErrors: true, strict: true, strictTuples: false }).compile(lintConfigJsonSchema());
const zodAccepts = (config: unknown) => ConfigDataSchema.safeParse(config).success;

const valid: Record<string, unknown> = {
  empty: {},
  recommended,
  strict: { ...strict, extends: ['hubspoke/recommended'] },
  'every setting form': {
    $schema: './node_modules/@hubspoke/brand-rules/dist/schemas/lint-config.json',
    name: 'acme-emea',
    extends: ['hubspoke/recommended', { rules: { 'brand/palette': 'off' } }],
    minLevel: 'warning',
    rules: {
      'brand/banned-term': 'error',
      'brand/link-utm': ['error', { params: { utm_campaign: 'spring' } }],
      'brand/readability': ['off'],
      'brand/palette': {
        level: 'warning',
        options: { fixMaxDeltaE: 2 },
        scope: ['body', '~footer', 'module:hero-1', 'slot:legal.note'],
      },
      'brand/contrast': { scope: 'cta' },
    },
    roles: { 'hero.headline': 'heading', legal: 'footer' },
    overrides: [
      { locales: ['de', 'de-AT'], regions: ['EMEA'], rules: { 'brand/subject-line': ['warning', { maxLength: 70 }] } },
    ],
    nonOverridable: ['brand/legal-text', 'acme/no-lorem'],
  },
  'every data rule kind': {
    dataRules: {
      'acme/no-synergy': {
        kind: 'existence',
        message: 'Avoid "%s"',
        tokens: ['synergy', { term: 'AI', caseSensitive: true }],
        level: 'error',
        link: 'https://wiki.acme.example/x',
      },
      'acme/terms': {
        kind: 'substitution',
        message: 'Use "%s", not "%s"',
        swap: { 'e-mail': 'email', 'web site': 'website' },
      },
      'acme/one-bang': { kind: 'occurrence', message: '%s exclamation marks', token: '!', max: 1, scope: 'subject' },
      'acme/email-spelling': { kind: 'consistency', message: '"%s" vs "%s"', either: { 'e-mail': 'email' } },
      'acme/acronyms': {
        kind: 'conditional',
        message: '"%s" is not defined',
        first: '\\b([A-Z]{3,5})\\b',
        second: '(?:\\b[A-Z][a-z]+ )+\\(([A-Z]{3,5})\\)',
        exceptions: ['FAQ'],
      },
      'acme/heading-case': {
        kind: 'capitalization',
        message: 'Use sentence case',
        match: '$sentence',
        scope: 'heading',
        exceptions: ['Berlin'],
      },
      'acme/plain': {
        kind: 'readability',
        message: 'Grade %s',
        metrics: ['flesch-kincaid', 'smog'],
        grade: 8,
        scope: 'body',
      },
      'acme/double-space': { kind: 'pattern', message: 'Double space', pattern: ' {2,}', replace: ' ' },
      'acme/trusted': { kind: 'pattern', message: 'x', pattern: '(a+)+$', allowUnsafeRegex: true },
    },
  },
};

// Rejected by both: the shape is wrong.
const invalid: Record<string, unknown> = {
  'unknown top-level key': { rulez: {} },
  'bad level': { rules: { 'brand/banned-term': 'fatal' } },
  'bad level in a tuple': { rules: { 'brand/banned-term': ['fatal', {}] } },
  'empty tuple': { rules: { 'brand/banned-term': [] } },
  'unknown key in a setting object': { rules: { 'brand/banned-term': { level: 'error', severity: 'high' } } },
  'rule id without a namespace': { rules: { 'banned-term': 'error' } },
  'bad scope name': { rules: { 'brand/banned-term': { scope: ['headline'] } } },
  'empty scope list': { rules: { 'brand/banned-term': { scope: [] } } },
  'bad minLevel': { minLevel: 'off' },
  'extends not an array': { extends: 'hubspoke/recommended' },
  'bad role': { roles: { headline: 'title' } },
  'bad role key': { roles: { '1st': 'heading' } },
  'unknown key in an override': { overrides: [{ locales: ['de'], rules: {}, when: 'always' }] },
  'override without rules': { overrides: [{ locales: ['de'] }] },
  'bad locale': { overrides: [{ locales: ['german'], rules: {} }] },
  'bad nonOverridable id': { nonOverridable: ['Legal Text'] },
  'data rule of an unknown kind': { dataRules: { 'acme/x': { kind: 'vibes', message: 'x' } } },
  'data rule without a message': { dataRules: { 'acme/x': { kind: 'existence', tokens: ['x'] } } },
  'data rule with an unknown key': {
    dataRules: { 'acme/x': { kind: 'existence', message: 'x', tokens: ['x'], regex: true } },
  },
  'existence without tokens': { dataRules: { 'acme/x': { kind: 'existence', message: 'x', tokens: [] } } },
  'readability grade too high': { dataRules: { 'acme/x': { kind: 'readability', message: 'x', grade: 31 } } },
  'negative occurrence max': { dataRules: { 'acme/x': { kind: 'occurrence', message: 'x', token: '!', max: -1 } } },
  'empty pattern': { dataRules: { 'acme/x': { kind: 'pattern', message: 'x', pattern: '' } } },
  'allowUnsafeRegex not a boolean': {
    dataRules: { 'acme/x': { kind: 'pattern', message: 'x', pattern: 'x', allowUnsafeRegex: 'yes' } },
  },
  'allowUnsafeRegex on a kind without regexes': {
    dataRules: { 'acme/x': { kind: 'existence', message: 'x', tokens: ['x'], allowUnsafeRegex: true } },
  },
};

// Rejected by zod only: checks JSON Schema cannot express (documented in lintConfigJsonSchema).
const zodOnly: Record<string, unknown> = {
  'invalid regular expression': { dataRules: { 'acme/x': { kind: 'pattern', message: 'x', pattern: '(' } } },
  'ReDoS pattern': { dataRules: { 'acme/x': { kind: 'pattern', message: 'x', pattern: '(a+)+$' } } },
  'empty swap': { dataRules: { 'acme/x': { kind: 'substitution', message: 'x', swap: {} } } },
};

describe('lint-config.json', () => {
  it('is a draft 2020-12 schema with a stable $id that compiles in strict mode', () => {
    const schema = lintConfigJsonSchema();
    expect(schema).toMatchObject({
      $id: 'https://hubspoke.dev/schemas/lint-config.json',
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
    });
  });

  it('is exported as @hubspoke/brand-rules/schemas/lint-config.json, written by the build', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, unknown>;
      scripts: Record<string, string>;
    };
    // A pattern, as in core: attw's node10 check cannot resolve an exact JSON subpath.
    expect(pkg.exports['./schemas/*.json']).toBe('./dist/schemas/*.json');
    expect(pkg.scripts.build).toContain('scripts/emit-json-schema.mjs');
  });

  it.each(Object.entries(valid))('accepts %s, as zod does', (_name, config) => {
    expect(zodAccepts(config)).toBe(true);
    const ok = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each(Object.entries(invalid))('rejects %s, as zod does', (_name, config) => {
    expect(zodAccepts(config)).toBe(false);
    expect(validate(config)).toBe(false);
  });

  it.each(Object.entries(zodOnly))('leaves %s to zod', (_name, config) => {
    expect(zodAccepts(config)).toBe(false);
    expect(validate(config)).toBe(true);
  });

  it('is never stricter than zod on random changes to a valid config (property)', () => {
    const base = valid['every setting form'] as Record<string, unknown>;
    const keys = [...Object.keys(base), 'dataRules', 'unknown'];
    const settings = fc.oneof(
      fc.constantFrom('error', 'warning', 'suggestion', 'off', 'fatal'),
      fc.tuple(fc.constantFrom('error', 'off', 'x')),
      fc.record(
        { level: fc.constantFrom('error', 'nope'), scope: fc.constantFrom('body', ['cta', '~footer'], [], 'headline') },
        { requiredKeys: [] },
      ),
    );
    const value = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(fc.constantFrom('brand/palette', 'acme/x', 'Bad Id', 'a/b'), settings),
    );
    fc.assert(
      fc.property(fc.nat(), value, (i, v) => {
        const mutated = { ...base, [keys[i % keys.length] ?? 'name']: v };
        // Both agree, except where zod checks more than JSON Schema can say.
        if (zodAccepts(mutated)) expect(validate(mutated)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
