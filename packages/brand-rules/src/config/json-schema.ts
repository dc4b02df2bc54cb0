import { z } from 'zod';
import { ConfigDataSchema } from './schema.js';

/**
 * The JSON Schema (draft 2020-12) of a lint config file, generated from `ConfigDataSchema` and
 * shipped as `@hubspoke/brand-rules/schemas/lint-config.json` for editors. It describes the
 * input shape (fields with defaults are optional). Checks zod runs in code — scope names,
 * regex validity, the ReDoS guard, non-empty `swap`/`either` — are not in it, so a file can
 * pass the JSON Schema and still fail `defineConfig`; the reverse never happens.
 */
export function lintConfigJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ConfigDataSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  return { $id: 'https://hubspoke.dev/schemas/lint-config.json', title: 'Hubspoke brand-rules lint config', ...schema };
}
