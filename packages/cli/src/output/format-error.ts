import { isHubspokeError, type HubspokeError } from '@hubspoke/core';
import { UsageError } from './errors.js';
import { EXIT, exitCodeFor, type ExitCode } from './exit-codes.js';

/**
 * Hints true of every error with the code. Any other hint comes from where the error was raised,
 * which knows what to do about it (the message already says what was expected and where).
 */
export const HINTS: Partial<Record<HubspokeError['code'], string>> = {
  E_RATE_LIMITED: 'the platform asked us to slow down: retry later',
  E_INTERNAL: 'this is a bug; rerun with --debug and report it',
};

export interface FormattedError {
  code: HubspokeError['code'] | 'E_USAGE';
  line: string;
  exitCode: ExitCode;
  stack?: string;
}

/** One clear line: `error E_CODE: message (hint: …)`; a stack only when debugging. */
export function formatError(error: unknown, debug = false): FormattedError {
  if (error instanceof UsageError) {
    const hint = error.hint ?? 'run `hubspoke --help` for the commands and options';
    return {
      code: 'E_USAGE',
      line: `error E_USAGE: ${error.message} (hint: ${hint})`,
      exitCode: EXIT.usage,
      ...stackOf(error, debug),
    };
  }
  if (isHubspokeError(error)) {
    const hint = error.hint ?? HINTS[error.code];
    // A command stopped between steps: the one way to ask for that here is Ctrl-C.
    const message = error.code === 'E_ABORTED' ? 'interrupted (Ctrl-C)' : firstLine(error.message);
    return {
      code: error.code,
      line: `error ${error.code}: ${message}${hint === undefined ? '' : ` (hint: ${hint})`}`,
      exitCode: exitCodeFor(error.code),
      ...stackOf(error, debug),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 'E_INTERNAL',
    line: `error E_INTERNAL: ${firstLine(message)} (hint: ${HINTS.E_INTERNAL ?? ''})`,
    exitCode: EXIT.internal,
    ...stackOf(error, debug),
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function stackOf(error: unknown, debug: boolean): { stack?: string } {
  if (!debug || !(error instanceof Error) || error.stack === undefined) return {};
  let stack = error.stack;
  let cause: unknown = error.cause;
  while (cause instanceof Error) {
    stack += `\nCaused by: ${cause.stack ?? cause.message}`;
    cause = cause.cause;
  }
  return { stack };
}
