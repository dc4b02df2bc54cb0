import {
  DiagnosticSchema,
  HubspokeError,
  isHubspokeError,
  safeParse,
  type Diagnostic,
  type Location,
  type Severity,
} from '@hubspoke/core';
import { z } from 'zod';

/** Where a candidate text would go; brand rules scope their checks by it. */
export type BrandField = 'subject' | 'preheader' | 'alt' | 'heading' | 'body' | 'cta';

export interface BrandCandidate {
  field: BrandField;
  text: string;
  locale: string;
}

/**
 * The caller's brand guardrails, e.g. a `@hubspoke/brand-rules` linter wrapped in a function.
 * Every generated text passes through it before it is offered.
 */
export type BrandCheck = (candidate: BrandCandidate) => Promise<Diagnostic[]> | Diagnostic[];

const DiagnosticsSchema = z.array(DiagnosticSchema);
const RANK: Record<Severity, number> = { error: 2, warning: 1, suggestion: 0 };

/** Runs the caller's check and validates what it returns. */
export async function runBrandCheck(check: BrandCheck, candidate: BrandCandidate): Promise<Diagnostic[]> {
  let output: unknown;
  try {
    output = await check(candidate);
  } catch (cause) {
    if (isHubspokeError(cause)) throw cause;
    throw new HubspokeError(
      'E_UPSTREAM',
      `The brand check threw: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause, path: 'brandCheck' },
    );
  }
  const parsed = safeParse(DiagnosticsSchema, output, 'brandCheck()');
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

/** True when no diagnostic is at or above `blockOn`. */
export function passes(diagnostics: readonly Diagnostic[], blockOn: 'error' | 'warning'): boolean {
  return diagnostics.every((d) => RANK[d.severity] < RANK[blockOn]);
}

/** A diagnostic from this package. */
export function assistDiagnostic(
  rule: string,
  severity: Severity,
  message: string,
  location: Location = {},
  data?: Record<string, unknown>,
): Diagnostic {
  return {
    ruleId: `assist/${rule}`,
    severity,
    message,
    location,
    origin: '@hubspoke/assist',
    ...(data === undefined ? {} : { data }),
  };
}
