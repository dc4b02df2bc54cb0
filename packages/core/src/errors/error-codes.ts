/**
 * Every code a Hubspoke package may throw. Codes are stable API: match on them,
 * never on messages.
 */
export const ERROR_CODES = {
  E_VALIDATION: 'Input does not match the expected shape',
  E_LOCKED: 'The change touches content the hub has locked',
  E_FORBIDDEN: 'The principal is not permitted to do this',
  E_CONFLICT: 'The state changed since it was read (optimistic concurrency)',
  E_NOT_FOUND: 'The referenced item does not exist',
  E_RATE_LIMITED: 'The remote service asked us to slow down',
  E_AUTH: 'Credentials are missing, invalid or expired',
  E_UPSTREAM: 'A remote service failed or answered something unexpected',
  E_UNSUPPORTED: 'The target cannot express this construct or operation',
  E_TIMEOUT: 'The operation took longer than allowed',
  E_ABORTED: 'The operation was cancelled through its AbortSignal',
  E_INTERNAL: 'A bug in Hubspoke: please report it',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export const errorCodes = Object.keys(ERROR_CODES) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}
