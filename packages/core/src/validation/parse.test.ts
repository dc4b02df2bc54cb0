import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isHubspokeError } from '../errors/hubspoke-error.js';
import { BrandKitSchema } from '../schemas/brand-kit.js';
import { valid } from '../__fixtures__/samples.js';
import { describeValue, formatPath } from './format-issues.js';
import { parse, safeParse } from './parse.js';

function errorOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('parse', () => {
  it('names the bad path, what was expected and what was found', () => {
    const kit = {
      ...valid.brandKit,
      palette: [valid.brandKit.palette[0], valid.brandKit.palette[1], { name: 'Red', hex: 'red' }],
    };
    const err = errorOf(() => parse(BrandKitSchema, kit, 'brandKit'));
    expect(isHubspokeError(err, 'E_VALIDATION')).toBe(true);
    if (!isHubspokeError(err)) return;
    expect(err.message).toContain('brandKit.palette[2].hex: expected a hex colour like #1A2B3C, got "red"');
    expect(err.path).toBe('brandKit.palette[2].hex');
  });

  it('reports every bad path, not just the first', () => {
    const result = safeParse(
      BrandKitSchema,
      { ...valid.brandKit, id: '9', name: '', palette: [{ name: 'X', hex: 'nope' }] },
      'brandKit',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = (result.error.details.issues as { path: string }[]).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['brandKit.id', 'brandKit.name', 'brandKit.palette[0].hex']));
    expect(result.error.message).toContain('brandKit.id');
    expect(result.error.message).toContain('brandKit.name');
  });

  it('caps a long list of issues and says how many more there are', () => {
    const result = safeParse(
      z.array(z.number()),
      Array.from({ length: 20 }, () => 'x'),
      'values',
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/and 12 more$/);
  });

  it('reports a missing value as "got nothing" and wrong types by name', () => {
    const result = safeParse(z.object({ a: z.string(), b: z.array(z.number()) }), { b: 'x' }, 'doc');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain('doc.a: expected a string, got nothing');
    expect(result.error.message).toContain('doc.b: expected an array, got "x"');
  });

  it('turns hostile input (a throwing getter) into E_VALIDATION, not a raw error', () => {
    const hostile = Object.defineProperty({}, 'id', {
      enumerable: true,
      get() {
        throw new TypeError('gotcha');
      },
    });
    const result = safeParse(BrandKitSchema, hostile, 'brandKit');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('E_VALIDATION');
  });

  it('returns the parsed value with defaults applied', () => {
    const kit = parse(BrandKitSchema, valid.brandKit, 'brandKit');
    expect(kit.schemaVersion).toBe(1);
    expect(kit.typography.minFontSizePx).toBe(14);
    expect(kit.images.requireAlt).toBe(true);
  });
});

describe('formatPath / describeValue', () => {
  it('writes dotted paths with indices and quoted odd keys', () => {
    expect(formatPath('brandKit', ['palette', 2, 'hex'])).toBe('brandKit.palette[2].hex');
    expect(formatPath('draft', ['content', 'de-DE', 'slots'])).toBe('draft.content["de-DE"].slots');
    expect(formatPath('', [])).toBe('(root)');
  });

  it('keeps received values short', () => {
    expect(describeValue('x'.repeat(100))).toHaveLength(62);
    expect(describeValue([1, 2])).toBe('an array of 2');
    expect(describeValue({})).toBe('an object');
    expect(describeValue(undefined)).toBe('nothing');
  });
});
