import type { HubDatabase } from '@hubspoke/hub';
import { Command, CommanderError } from 'commander';
import { FindingsExit, UsageError } from './output/errors.js';
import { EXIT, type ExitCode } from './output/exit-codes.js';
import { createTerminal, type Terminal, type WritableLike } from './output/terminal.js';
import { commands } from './commands/index.js';

export interface GlobalOptions {
  config?: string;
  json: boolean;
  debug: boolean;
  color: boolean;
}

/** What every command gets: the terminal, where it runs, and the global options. */
export interface CommandContext {
  term: Terminal;
  cwd: string;
  env: Record<string, string | undefined>;
  globals: GlobalOptions;
  signal: AbortSignal;
  /** The database of `RunOptions.database`, if one was given. */
  database?: HubDatabase;
}

export interface CommandSpec {
  name: string;
  description: string;
  /** Examples shown in `--help`. */
  examples: string[];
  define(command: Command): void;
  run(ctx: CommandContext, args: string[], options: Record<string, unknown>): Promise<ExitCode | undefined>;
}

export interface RunOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: WritableLike;
  stderr: WritableLike;
  signal?: AbortSignal;
  /**
   * A database opened with `openDatabase` that the commands use, and leave open, instead of opening
   * the one the config names (a process that runs many commands, such as a test suite, opens it
   * once). `--database-url` and `HUBSPOKE_DATABASE_URL` still take precedence.
   */
  database?: HubDatabase;
}

const DOCS = 'https://github.com/hubspoke/hubspoke/tree/main/packages/cli#readme';

/** Runs the CLI with `argv` (without node and script) and returns the exit code. Never throws. */
export async function run(argv: string[], options: RunOptions): Promise<ExitCode> {
  const globals: GlobalOptions = {
    json: argv.includes('--json'),
    debug: argv.includes('--debug'),
    color: !argv.includes('--no-color'),
  };
  const term = createTerminal({
    stdout: options.stdout,
    stderr: options.stderr,
    env: options.env,
    json: globals.json,
    debug: globals.debug,
    noColor: !globals.color,
  });
  let exitCode: ExitCode = EXIT.ok;

  const program = new Command('hubspoke')
    .description('Hub-and-spoke email operations: lint, render, review, push and measure.')
    .version('0.1.0', '-v, --version')
    .option('-c, --config <file>', 'config file (default: hubspoke.config.{ts,js,json} here or above)')
    .option('--json', 'machine-readable JSON on stdout')
    .option('--debug', 'print stack traces on errors')
    .option('--no-color', 'no colour (also: NO_COLOR=1; colour is only used on a terminal)')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => options.stdout.write(s),
      writeErr: (s) => {
        // commander's own error lines are replaced by ours (one line with a hint)
        if (!s.startsWith('error:')) options.stderr.write(s);
      },
    })
    .addHelpText(
      'after',
      `\nExit codes: 0 ok, 1 findings, 2 usage, 3 invalid input, 4 denied or missing credentials,\n5 conflict or locked, 6 service or database unavailable, 7 unsupported, 70 bug, 130 aborted.\nDocs: ${DOCS}`,
    );

  for (const spec of commands) {
    const command = program.command(spec.name).description(spec.description);
    spec.define(command);
    command.addHelpText('after', `\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}\n`);
    command.action(async (...actionArgs: unknown[]) => {
      const cmd = actionArgs.at(-1) as Command;
      const opts = cmd.opts<Record<string, unknown>>();
      const positional = cmd.args;
      const g = program.opts<{ config?: string; json?: boolean; debug?: boolean; color?: boolean }>();
      const ctxGlobals: GlobalOptions = { json: g.json === true, debug: g.debug === true, color: g.color !== false };
      if (g.config !== undefined) ctxGlobals.config = g.config;
      const ctx: CommandContext = {
        term,
        cwd: options.cwd,
        env: options.env,
        globals: ctxGlobals,
        signal: options.signal ?? new AbortController().signal,
        ...(options.database === undefined ? {} : { database: options.database }),
      };
      exitCode = (await spec.run(ctx, positional, opts)) ?? EXIT.ok;
    });
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return EXIT.ok;
      const message = error.message.replace(/^error:\s*/, '');
      const hint =
        error.code === 'commander.unknownCommand' ? 'run `hubspoke --help` for the list of commands' : undefined;
      return report(term, new UsageError(message, hint), globals.debug);
    }
    if (error instanceof FindingsExit) return EXIT.findings;
    return report(term, error, globals.debug);
  }
}

/** Prints the error in one line; the formatter (and @hubspoke/core) loads only when there is one. */
async function report(term: Terminal, error: unknown, debug: boolean): Promise<ExitCode> {
  const { formatError } = await import('./output/format-error.js');
  const formatted = formatError(error, debug);
  if (term.json) {
    term.printJson({ ok: false, error: { code: formatted.code, line: formatted.line, exitCode: formatted.exitCode } });
  }
  term.err(term.style.red(formatted.line));
  if (formatted.stack !== undefined) term.err(formatted.stack);
  return formatted.exitCode;
}

export type { Terminal };
