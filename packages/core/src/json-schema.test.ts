import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invalid, valid } from './__fixtures__/samples.js';
import { jsonSchemaFor } from './json-schema.js';
import { jsonSchemaFiles, safeParseAs, type SchemaName } from './registry.js';

function compile(name: SchemaName) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(jsonSchemaFor(name));
}

// Cross-field rules (unique ids, one dark colour per light one, "content for the default locale", period order) live in zod
// only; JSON Schema cannot express them, so those samples are left out of the agreement check.
const zodOnly =
  /unique|already has a dark colour|default locale|another stage|ends on or after|end ≥ start|team, a region|needs specificationVersion/;

const shipped = Object.entries(jsonSchemaFiles) as [string, SchemaName][];

describe('JSON Schema files', () => {
  it.each(shipped)('%s.json compiles and accepts the valid sample', (_file, name) => {
    const validate = compile(name);
    const ok = validate(valid[name]);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each(shipped)('%s.json agrees with zod on invalid samples', (_file, name) => {
    const validate = compile(name);
    for (const sample of invalid.filter((s) => s.name === name && !zodOnly.test(s.contains ?? ''))) {
      expect(safeParseAs(name, sample.input).ok).toBe(false);
      expect(validate(sample.input), `${sample.path} should be rejected by JSON Schema too`).toBe(false);
    }
  });

  it.each(shipped)('%s.json agrees with zod on random mutations of the valid sample', (_file, name) => {
    const validate = compile(name);
    const base = valid[name] as Record<string, unknown>;
    const keys = Object.keys(base);
    fc.assert(
      fc.property(fc.nat(), fc.jsonValue(), (i, value) => {
        const mutated = { ...base, [keys[i % keys.length]!]: value };
        const zodOk = safeParseAs(name, mutated).ok;
        const ajvOk = validate(mutated);
        // zod may be stricter (cross-field rules); it is never looser than the JSON Schema.
        if (zodOk) expect(ajvOk).toBe(true);
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('names each file with a stable $id and title', () => {
    const schema = jsonSchemaFor('brandKit');
    expect(schema.$id).toBe('https://hubspoke.dev/schemas/brand-kit.json');
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toBe('brandKit');
  });
});
