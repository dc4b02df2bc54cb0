import type { Diagnostic } from '@hubspoke/core';
import { diagnostic } from '../diagnostics.js';

/** Gmail clips messages whose HTML passes about 102 KB (measured on the raw source, after ESP link rewriting). */
export const SIZE_LIMITS = { warnBytes: 90 * 1024, errorBytes: 102 * 1024 } as const;

/** Size diagnostics for rendered HTML of `bytes` UTF-8 bytes. */
export function checkSize(
  bytes: number,
  limits: { warnBytes: number; errorBytes: number } = SIZE_LIMITS,
): Diagnostic[] {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  if (bytes >= limits.errorBytes) {
    return [
      diagnostic(
        'size/gmail-clipping',
        'error',
        `The HTML is ${kb(bytes)}: Gmail clips messages over about ${kb(limits.errorBytes)}, hiding the footer and unsubscribe link`,
        { source: 'html' },
        { bytes, limit: limits.errorBytes },
      ),
    ];
  }
  if (bytes >= limits.warnBytes) {
    return [
      diagnostic(
        'size/gmail-clipping',
        'warning',
        `The HTML is ${kb(bytes)}, close to Gmail's ~${kb(limits.errorBytes)} clipping limit once your platform adds tracking links`,
        { source: 'html' },
        { bytes, limit: limits.warnBytes },
      ),
    ];
  }
  return [];
}
