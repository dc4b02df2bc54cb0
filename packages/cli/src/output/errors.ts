import { isHubspokeError, type HubspokeError } from '@hubspoke/core';
import { EXIT, exitCodeFor, type ExitCode } from './exit-codes.js';

/** An error the CLI raises about how it was called (exit 2). */
export class UsageError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'UsageError';
    this.hint = hint;
  }
}

/** A command ended with findings (lint errors, a blocked approval): exit 1, already reported. */
export class FindingsExit extends Error {
  constructor(message = 'findings reported') {
    super(message);
    this.name = 'FindingsExit';
  }
}

const HINTS: Partial<Record<HubspokeError['code'], string>> = {
  E_VALIDATION: 'fix the value at the path shown; `hubspoke <command> --help` lists the expected inputs',
  E_NOT_FOUND: 'check the file or id; paths in hubspoke.config are relative to the config file',
  E_AUTH: 'set the environment variables your connector config refers to, then run `hubspoke push --check`',
  E_FORBIDDEN: 'act as a principal with the needed role (`--as <id>`), or ask the hub to change the operating model',
  E_CONFLICT: 'it changed, or its state does not allow this now: check `hubspoke status`, then retry',
  E_UPSTREAM: 'the service or database is unavailable: check the URL and that it is running, then retry',
  E_RATE_LIMITED: 'the platform asked us to slow down: retry later',
  E_INTERNAL: 'this is a bug; rerun with --debug and report it',
  E_ABORTED: 'run the command again to finish',
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
