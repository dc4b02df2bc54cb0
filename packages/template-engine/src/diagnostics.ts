import type { Diagnostic, Location, Severity } from '@hubspoke/core';

export const ORIGIN = '@hubspoke/template-engine';

/** Builds a diagnostic from this package; `location` and `data` are only set when given. */
export function diagnostic(
  ruleId: string,
  severity: Severity,
  message: string,
  location: Location = {},
  data?: Record<string, unknown>,
): Diagnostic {
  const d: Diagnostic = { ruleId, severity, message, location, origin: ORIGIN };
  if (data !== undefined) d.data = data;
  return d;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
