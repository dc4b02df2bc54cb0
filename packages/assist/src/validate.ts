import { parse } from '@hubspoke/core';
import type { z } from 'zod';

/**
 * `parse` for hot paths: a plain zod check first, and core's `parse` (which records inputs
 * to name every bad path) only to build the error when the check fails.
 */
export function check<S extends z.ZodType>(schema: S, input: unknown, label: string): z.output<S> {
  const quick = schema.safeParse(input);
  return quick.success ? quick.data : parse(schema, input, label);
}
