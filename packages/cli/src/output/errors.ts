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
