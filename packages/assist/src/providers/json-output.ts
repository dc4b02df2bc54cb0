import { safeParse } from '@hubspoke/core';
import { z } from 'zod';

export type JsonOutcome<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * Reads a model's JSON answer: tolerates a Markdown code fence and prose around one JSON
 * value, then validates it with `schema`. Never throws.
 */
export function parseJsonOutput<T>(text: string, schema: z.ZodType<T>): JsonOutcome<T> {
  const candidate = jsonCandidate(text);
  if (candidate === undefined) return { ok: false, problem: 'the answer contains no JSON object' };
  let data: unknown;
  try {
    data = JSON.parse(candidate);
  } catch (error) {
    return {
      ok: false,
      problem: `the answer is not valid JSON (${error instanceof Error ? error.message : 'parse error'})`,
    };
  }
  const parsed = safeParse(schema, data, 'answer');
  return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, problem: parsed.error.message };
}

function jsonCandidate(text: string): string | undefined {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  const body = (fenced?.[1] ?? text).trim();
  const start = body.search(/[{[]/);
  if (start === -1) return undefined;
  const end = Math.max(body.lastIndexOf('}'), body.lastIndexOf(']'));
  return end > start ? body.slice(start, end + 1) : body.slice(start);
}

/** The JSON Schema of `schema` as text for a prompt, or undefined when zod cannot express it. */
export function jsonSchemaText(schema: z.ZodType): string | undefined {
  try {
    return JSON.stringify(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));
  } catch {
    return undefined;
  }
}

/** What we say to a model whose JSON answer failed validation, for its one repair attempt. */
export function repairMessage(problem: string): string {
  return `Your previous answer could not be used: ${problem.slice(0, 1500)}\nAnswer again with only one JSON value that matches the schema, and nothing else.`;
}
