import type { Command } from 'commander';
import { HubspokeError } from '@hubspoke/core';
import { openApprovals, type OpenApprovals } from '../approvals-db.js';
import { UsageError } from '../output/errors.js';
import { Project } from '../project.js';
import type { CommandContext } from '../program.js';

/** Options shared by the commands that read or write the approval state. */
export const withDatabase = (c: Command) =>
  c.option(
    '--database-url <url>',
    'postgres://… URL or a PGlite folder (default: database.url, else .hubspoke/approvals; or HUBSPOKE_DATABASE_URL)',
  );
export const withActor = (c: Command, description = 'who is acting (a principal id from the config; or HUBSPOKE_AS)') =>
  c.option('--as <id>', description);

/** The principal id from `--as`, else `HUBSPOKE_AS`. */
export function actorOf(ctx: CommandContext, options: Record<string, unknown>): string | undefined {
  return typeof options.as === 'string' ? options.as : ctx.env.HUBSPOKE_AS;
}

/** Opens the approval state named by `--database-url`, `HUBSPOKE_DATABASE_URL` or the config. */
export function openDatabase(
  ctx: CommandContext,
  project: Project,
  options: Record<string, unknown>,
): Promise<OpenApprovals> {
  return openApprovals(project, {
    url: typeof options.databaseUrl === 'string' ? options.databaseUrl : ctx.env.HUBSPOKE_DATABASE_URL,
    env: ctx.env,
  });
}

/** The hub the config describes, with command-line paths relative to where the command runs. */
export async function projectOf(ctx: CommandContext): Promise<Project> {
  return new Project(await ctx.config(), ctx.cwd);
}

/** A whole-number option of at least `min`, e.g. `--limit 50`. */
export function countOption(value: unknown, name: string, min: number): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min)
    throw new UsageError(`${name}: expected a whole number of at least ${String(min)}, got "${String(value)}"`);
  return n;
}

/** Stops a long command between steps after Ctrl-C (exit 130); each output is written whole or not at all. */
export function stopIfInterrupted(signal: AbortSignal): void {
  if (signal.aborted)
    throw new HubspokeError('E_ABORTED', 'interrupted (Ctrl-C)', { hint: 'run the command again to finish' });
}
