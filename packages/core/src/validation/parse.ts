import type { z } from 'zod';
import { HubspokeError } from '../errors/hubspoke-error.js';
import { formatIssues, type ValidationIssue } from './format-issues.js';

const MAX_LISTED = 8;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: HubspokeError };

/** Builds the `E_VALIDATION` error for a list of issues, naming every bad path. */
export function validationError(label: string, issues: readonly ValidationIssue[], cause?: unknown): HubspokeError {
  const listed = issues.slice(0, MAX_LISTED).map((i) => i.message);
  const more = issues.length > MAX_LISTED ? `; and ${issues.length - MAX_LISTED} more` : '';
  return new HubspokeError('E_VALIDATION', `Invalid ${label}: ${listed.join('; ')}${more}`, {
    path: issues[0]?.path ?? label,
    details: { label, issues },
    cause,
  });
}

/**
 * Validates `input` against `schema` and returns the parsed value or an `E_VALIDATION`
 * HubspokeError; never throws, whatever the input.
 */
export function safeParse<S extends z.ZodType>(schema: S, input: unknown, label = 'value'): ParseResult<z.output<S>> {
  let result: z.ZodSafeParseResult<z.output<S>>;
  try {
    // The fast path skips `reportInput` (about 20× slower); only a failure pays for the details.
    result = schema.safeParse(input);
    if (!result.success) result = schema.safeParse(input, { reportInput: true });
  } catch (cause) {
    // Hostile inputs (getters that throw, revoked proxies) must not escape as raw errors.
    return {
      ok: false,
      error: validationError(
        label,
        [
          {
            path: label,
            expected: 'a plain JSON value',
            received: 'a value that threw while being read',
            message: `${label}: expected a plain JSON value, got a value that threw while being read`,
          },
        ],
        cause,
      ),
    };
  }
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: validationError(label, formatIssues(label, result.error.issues, schema), result.error) };
}

/** Like {@link safeParse} but throws the `E_VALIDATION` HubspokeError. */
export function parse<S extends z.ZodType>(schema: S, input: unknown, label = 'value'): z.output<S> {
  const result = safeParse(schema, input, label);
  if (!result.ok) throw result.error;
  return result.value;
}
