import { describe, expect, it } from 'vitest';
import { canonicalJson, MAX_JSON_DEPTH } from './canonical-json.js';
import { HubspokeError, MAX_MESSAGE_LENGTH } from './errors/hubspoke-error.js';
import { jsonSchemaFor } from './json-schema.js';
import { hybrid } from './operating-model/presets.js';
import { assertCan, can, guarded, parsePrincipal } from './index.js';
import { Redactor } from './redact.js';
import { deepArray, deepObject, hugeString } from './testkit/hostile.js';

function thrown(run: () => unknown): HubspokeError {
  try {
    run();
  } catch (error) {
    if (error instanceof HubspokeError) return error;
    throw error;
  }
  throw new Error('expected a HubspokeError');
}

describe('bounded work on hostile input', () => {
  it('an error message is cut to MAX_MESSAGE_LENGTH, saying how much it left out (a 10 MB name made a 20 MB message)', () => {
    const error = new HubspokeError('E_VALIDATION', `Unknown "${hugeString()}" and "${hugeString()}"`);
    expect(error.message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(error.message).toMatch(/… \(\d+ more characters\)$/);
    expect(new HubspokeError('E_VALIDATION', 'short').message).toBe('short');
  });

  it('an error built from odd arguments is still a HubspokeError (unknown code → E_INTERNAL, any message)', () => {
    const error = new HubspokeError('E_NOPE' as never, Symbol('s') as never, null as never);
    expect(error.code).toBe('E_INTERNAL');
    expect(error.message).toBe('Symbol(s)');
  });

  it('assertCan and can refuse a 10 MB action or a string principal as fast as a short one (34 s before)', () => {
    const principal = { id: 'p', roles: ['spoke-marketer'], regions: ['EMEA'], teams: [], groups: [] };
    const short = elapsedMsSync(() => {
      assertCan(hybrid, principal, 'x' as never);
    });
    for (const call of [
      () => {
        assertCan(hybrid, principal, hugeString() as never);
      },
      () => {
        assertCan(hybrid, hugeString() as never, 'draft.create');
      },
      () => {
        assertCan(hybrid, principal, 'draft.create', hugeString() as never);
      },
      () => can(hybrid, hugeString() as never, 'draft.create'),
      () => parsePrincipal(hugeString()),
      () => parsePrincipal(deepObject()),
    ]) {
      expect(elapsedMsSync(call)).toBeLessThan(100 + 50 * short);
      expect(thrown(call).code).toBe('E_VALIDATION');
      expect(thrown(call).message.length).toBeLessThan(1_000);
    }
  });

  it('canonicalJson refuses nesting deeper than MAX_JSON_DEPTH with E_VALIDATION (5,000-level arrays were a RangeError)', () => {
    expect(canonicalJson(deepArray(MAX_JSON_DEPTH - 1))).toHaveLength(2 * MAX_JSON_DEPTH);
    for (const value of [deepArray(5_000), deepObject(10_000)]) {
      const error = thrown(() => canonicalJson(value));
      expect(error.code).toBe('E_VALIDATION');
      expect(error.message).toMatch(/at most 1000 levels/);
    }
  });

  it('jsonSchemaFor an unknown name is E_NOT_FOUND naming the known ones (was a TypeError)', () => {
    const error = thrown(() => jsonSchemaFor('Nope' as never));
    expect(error.code).toBe('E_NOT_FOUND');
    expect(error.message).toMatch(/draft, /);
  });

  it('a Redactor refuses a string for its list and a secret over 64 KiB instead of indexing every character', () => {
    expect(thrown(() => new Redactor(hugeString() as never)).code).toBe('E_VALIDATION');
    expect(thrown(() => new Redactor([hugeString()])).code).toBe('E_VALIDATION');
  });

  it('guarded checks arguments in O(1) and wraps a raw failure as E_INTERNAL with the cause', async () => {
    const len = guarded('len', ['text:string'], (text: string) => text.length);
    expect(len('abc')).toBe(3);
    expect(thrown(() => len(deepArray() as never)).code).toBe('E_VALIDATION');
    const broken = guarded('broken', [], () => (null as unknown as { x: number }).x);
    const error = thrown(() => broken());
    expect(error.code).toBe('E_INTERNAL');
    expect(error.cause).toBeInstanceOf(TypeError);
    const rejects = guarded('rejects', [], async () => Promise.reject(new RangeError('deep')));
    await expect(rejects()).rejects.toMatchObject({ code: 'E_INTERNAL' });
  });
});

function elapsedMsSync(run: () => unknown): number {
  const start = performance.now();
  try {
    run();
  } catch {
    // timed only
  }
  return performance.now() - start;
}
