import type { Diagnostic, Severity } from '@hubspoke/core';

export const ORIGIN = '@hubspoke/okr-metrics';

/** A core Diagnostic from this package; `path` locates the value in the input document. */
export function diagnostic(
  ruleId: string,
  severity: Severity,
  message: string,
  path?: string,
  data?: Record<string, unknown>,
): Diagnostic {
  const text = message.length > 2000 ? `${message.slice(0, 1997)}...` : message;
  const d: Diagnostic = {
    ruleId,
    severity,
    message: text,
    location: path === undefined ? {} : { path: path.slice(0, 1000) },
    origin: ORIGIN,
  };
  if (data !== undefined) d.data = data;
  return d;
}
