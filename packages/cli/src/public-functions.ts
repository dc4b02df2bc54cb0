// The public face of the CLI's functions: arguments checked in O(1) per argument before anything
// runs, and only HubspokeErrors escape (core's `guarded`). The modules keep the plain functions.
import { guarded, HubspokeError, type ErrorCode } from '@hubspoke/core';
import * as exitCodes from './output/exit-codes.js';
import * as program from './program.js';

/** Most arguments and longest argument `run` takes (a shell allows about 2 MB in all). */
const MAX_ARGS = 10_000;
const MAX_ARG_LENGTH = 128 * 1024;

function invalid(path: string, message: string): HubspokeError {
  return new HubspokeError('E_VALIDATION', `Invalid ${path}: ${message}`, { path });
}

function isWritable(value: unknown): boolean {
  return typeof (value as { write?: unknown } | null)?.write === 'function';
}

function isDatabase(value: unknown): boolean {
  return typeof (value as { sql?: { query?: unknown } } | null)?.sql?.query === 'function';
}

const checkedRun = guarded(
  'run',
  ['argv:array', 'options:object'],
  async (argv: string[], options: program.RunOptions) => {
    if (argv.length > MAX_ARGS) throw invalid('argv', `at most ${String(MAX_ARGS)} arguments`);
    for (const [i, arg] of argv.entries())
      if (typeof arg !== 'string' || arg.length > MAX_ARG_LENGTH)
        throw invalid(`argv[${String(i)}]`, `expected a string of at most ${String(MAX_ARG_LENGTH)} characters`);
    const given = options as Partial<Record<keyof program.RunOptions, unknown>>;
    if (typeof given.cwd !== 'string' || given.cwd.length > 4096) throw invalid('cwd', 'expected a directory path');
    if (typeof given.env !== 'object' || given.env === null || Array.isArray(given.env))
      throw invalid('env', 'expected the environment variables');
    if (!isWritable(given.stdout)) throw invalid('stdout', 'expected a stream with write()');
    if (!isWritable(given.stderr)) throw invalid('stderr', 'expected a stream with write()');
    if (given.database !== undefined && !isDatabase(given.database))
      throw invalid('database', 'expected a database from openDatabase');
    return program.run(argv, options);
  },
);

/** Runs the CLI with `argv` (without node and script) and returns the exit code; bad arguments reject with E_VALIDATION. */
export const run = async (argv: string[], options: program.RunOptions): Promise<exitCodes.ExitCode> =>
  await checkedRun(argv, options);
Object.defineProperty(run, 'name', { value: 'run' });

export const exitCodeFor = guarded('exitCodeFor', ['code:string'], (code: ErrorCode) => exitCodes.exitCodeFor(code));
