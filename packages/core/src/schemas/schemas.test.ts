import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHubspokeError } from '../errors/hubspoke-error.js';
import { invalid, valid } from '../__fixtures__/samples.js';
import { parseAs, safeParseAs, schemas, type SchemaName } from '../registry.js';

const names = Object.keys(schemas) as SchemaName[];

describe('domain schemas', () => {
  it.each(names)('%s accepts its valid sample', (name) => {
    const result = safeParseAs(name, valid[name]);
    if (!result.ok) throw result.error;
    expect(result.value).toBeTypeOf('object');
  });

  it('every schema has at least one invalid sample', () => {
    const covered = new Set(invalid.map((s) => s.name));
    expect(names.filter((n) => !covered.has(n))).toEqual([]);
  });

  it.each(invalid.map((s, i) => [`${s.name} #${i} → ${s.path}`, s] as const))('rejects %s', (_title, sample) => {
    const result = safeParseAs(sample.name, sample.input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('E_VALIDATION');
    const paths = (result.error.details.issues as { path: string }[]).map((i) => i.path);
    expect(paths).toContain(sample.path);
    if (sample.contains !== undefined) expect(result.error.message).toContain(sample.contains);
  });

  it('applies documented defaults', () => {
    const template = parseAs('template', valid.template);
    expect(template.ordering).toBe('declared');
    expect(template.modules[1]?.lock).toBe('editable');
    expect(template.subject.maxLength).toBe(100);
    const metrics = parseAs('campaignMetrics', { campaignId: 'c', sent: 10 });
    expect(metrics.uniqueOpens).toBe(0);
    expect(metrics.delivered).toBeUndefined();
    const wf = parseAs('workflowDef', valid.workflowDef);
    expect(wf.stages[0]?.completion).toEqual({ rule: 'any' });
    expect(wf.restartFrom).toBe('first');
  });

  it('random JSON given to every parse helper yields a value or an E_VALIDATION HubspokeError, nothing else', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.jsonValue(), (name, input) => {
        const result = safeParseAs(name, input);
        if (result.ok) return true;
        return isHubspokeError(result.error, 'E_VALIDATION') && result.error.message.startsWith(`Invalid ${name}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('mutated valid samples never escape as raw errors', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.string(), fc.jsonValue(), (name, key, value) => {
        const base = valid[name] as Record<string, unknown>;
        const keys = Object.keys(base);
        const target = keys.length > 0 ? keys[key.length % keys.length]! : key;
        try {
          parseAs(name, { ...base, [target]: value });
          return true;
        } catch (e) {
          return isHubspokeError(e, 'E_VALIDATION');
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('an unknown schema name', () => {
  it('is E_NOT_FOUND at path name with the closest known name, before the input is read', () => {
    let caught: unknown;
    try {
      parseAs('darft' as SchemaName, {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'E_NOT_FOUND', path: 'name', details: { didYouMean: 'draft' } });
    const result = safeParseAs('x'.repeat(1_000_000) as SchemaName, {});
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(isHubspokeError(result.error, 'E_NOT_FOUND')).toBe(true);
      expect(result.error.message.length).toBeLessThan(200);
    }
  });
});
