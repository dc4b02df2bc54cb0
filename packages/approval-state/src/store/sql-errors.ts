import { HubspokeError, isHubspokeError, sqlState } from '@hubspoke/core';

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
]);

function field(error: unknown, name: string): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const value = (error as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** The name of the constraint a database error broke, if any. */
export function constraintOf(error: unknown): string | undefined {
  return field(error, 'constraint');
}

/**
 * Turns whatever a SQL client threw into a HubspokeError that says what went wrong in words a
 * person can act on: unreachable or locked database, bad credentials, missing tables.
 */
export function toStoreError(error: unknown, operation: string): HubspokeError {
  if (isHubspokeError(error)) return error;
  const code = field(error, 'code');
  const state = sqlState(error);
  const message = error instanceof Error ? error.message : String(error);
  const details = {
    operation,
    ...(state === undefined ? {} : { sqlState: state }),
    ...(code !== undefined && state === undefined ? { errno: code } : {}),
  };
  const errors = (error as { errors?: unknown } | null)?.errors;
  const nested = Array.isArray(errors) ? errors.map((e) => field(e, 'code')) : [];
  if (
    (code !== undefined && UNREACHABLE_CODES.has(code)) ||
    nested.some((c) => c !== undefined && UNREACHABLE_CODES.has(c)) ||
    state?.startsWith('08') === true ||
    /connection terminated|terminating connection|PGlite is closed|Connection refused/i.test(message)
  ) {
    return new HubspokeError(
      'E_UPSTREAM',
      `The approval database is unreachable while trying to ${operation}: ${message === '' ? (code ?? 'connection failed') : message}`,
      { details, cause: error, hint: 'Check that the database server is running and the URL is right.' },
    );
  }
  switch (state) {
    case '28P01':
    case '28000':
      return new HubspokeError('E_AUTH', `The approval database refused the credentials while trying to ${operation}`, {
        details,
        cause: error,
      });
    case '3D000':
      return new HubspokeError('E_NOT_FOUND', `The approval database does not exist: ${message}`, {
        details,
        cause: error,
        hint: 'Create the database first, or point the URL at an existing one.',
      });
    case '42P01':
    case '42703':
      return new HubspokeError(
        'E_NOT_FOUND',
        `The approval tables are missing or older than this code while trying to ${operation}: ${message}`,
        { details, cause: error, hint: 'Run the store migrations (SqlEventStore.open migrates by default).' },
      );
    case '55P03':
    case '55006':
      return new HubspokeError(
        'E_CONFLICT',
        `The approval database is locked by another process while trying to ${operation}`,
        {
          details: { ...details, reason: 'locked' },
          cause: error,
          hint: 'Wait for the other process to finish, then retry.',
        },
      );
    case '40001':
    case '40P01':
      return new HubspokeError(
        'E_CONFLICT',
        `A concurrent transaction got in the way while trying to ${operation}; retry`,
        { details: { ...details, reason: 'version' }, cause: error },
      );
    case '57014':
      return new HubspokeError(
        'E_TIMEOUT',
        `The approval database cancelled a statement while trying to ${operation}`,
        { details, cause: error },
      );
    case '53300':
    case '57P01':
    case '57P02':
    case '57P03':
      return new HubspokeError(
        'E_UPSTREAM',
        `The approval database is not accepting connections while trying to ${operation}: ${message}`,
        { details, cause: error },
      );
    case undefined:
    default:
      return new HubspokeError('E_UPSTREAM', `The approval database failed while trying to ${operation}: ${message}`, {
        details,
        cause: error,
      });
  }
}
