import type { ErrorCode } from '@hubspoke/core';

/** Documented exit codes of the `hubspoke` command. */
export const EXIT = {
  ok: 0,
  /** The command ran and found problems: lint errors at the failing level, a blocked approval. */
  findings: 1,
  /** Unknown command or option, missing or malformed argument. */
  usage: 2,
  /** A config file, draft, template or data file is missing or invalid. */
  invalidInput: 3,
  /** Not permitted, or credentials are missing, invalid or expired. */
  denied: 4,
  /** The state changed underneath (conflict) or the content is locked. */
  conflict: 5,
  /** A remote service or the database is unreachable, slow, or failing. */
  unavailable: 6,
  /** The target platform cannot express what was asked. */
  unsupported: 7,
  /** A bug in Hubspoke. */
  internal: 70,
  /** Interrupted (Ctrl-C) or aborted. */
  aborted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitCodeFor(code: ErrorCode): ExitCode {
  switch (code) {
    case 'E_VALIDATION':
    case 'E_NOT_FOUND':
      return EXIT.invalidInput;
    case 'E_FORBIDDEN':
    case 'E_AUTH':
      return EXIT.denied;
    case 'E_CONFLICT':
    case 'E_LOCKED':
      return EXIT.conflict;
    case 'E_UPSTREAM':
    case 'E_RATE_LIMITED':
    case 'E_TIMEOUT':
      return EXIT.unavailable;
    case 'E_UNSUPPORTED':
      return EXIT.unsupported;
    case 'E_ABORTED':
      return EXIT.aborted;
    case 'E_INTERNAL':
      return EXIT.internal;
  }
}
