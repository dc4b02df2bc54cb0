import { HubspokeError, formatIssues } from '@hubspoke/core';
import type { z } from 'zod';

/**
 * Checks a vendor response body against the shape the connector relies on; anything else
 * is `E_UPSTREAM` naming the unexpected path (the body itself is not echoed).
 */
export function expectBody<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = formatIssues(what, result.error.issues, schema);
  throw new HubspokeError(
    'E_UPSTREAM',
    `Unexpected response from ${what}: ${issues.map((i) => `${i.path}: ${i.expected}`).join('; ')}`,
    {
      details: { paths: issues.map((i) => i.path) },
    },
  );
}
