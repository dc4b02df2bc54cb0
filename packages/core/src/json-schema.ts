import { z } from 'zod';
import { HubspokeError } from './errors/hubspoke-error.js';
import { describeValue } from './validation/format-issues.js';
import { jsonSchemaFiles, schemas, type SchemaName } from './registry.js';

/**
 * The JSON Schema (draft 2020-12) of a domain schema, describing the input shape: fields
 * with defaults are optional. Cross-field rules (unique ids, period order) are checked by
 * zod only, so a document can pass JSON Schema and still fail `parseAs`.
 */
export function jsonSchemaFor(name: SchemaName): Record<string, unknown> {
  if (typeof name !== 'string' || !Object.hasOwn(schemas, name))
    throw new HubspokeError(
      'E_NOT_FOUND',
      `Unknown schema ${describeValue(name)}: expected one of ${Object.keys(schemas).join(', ')}`,
      { path: 'name' },
    );
  const file = Object.entries(jsonSchemaFiles).find(([, n]) => n === name)?.[0] ?? name;
  const schema = z.toJSONSchema(schemas[name], { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  return { $id: `https://hubspoke.dev/schemas/${file}.json`, title: name, ...schema };
}
