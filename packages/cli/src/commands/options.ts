import type { Command } from 'commander';
import { HubspokeError, type Principal } from '@hubspoke/core';
import { loadHub, type Hub } from '@hubspoke/hub';
import { UsageError } from '../output/errors.js';
import type { CommandContext } from '../program.js';

/** Options shared by the commands that read or write the hub's database. */
export const withDatabase = (c: Command) =>
  c.option(
    '--database-url <url>',
    'postgres://… URL or a PGlite folder (default: database.url, else .hubspoke/approvals; or HUBSPOKE_DATABASE_URL)',
  );
export const withActor = (c: Command, description = 'who is acting (a principal id from the config; or HUBSPOKE_AS)') =>
  c.option('--as <id>', description);

/** The principal id from `--as`, else `HUBSPOKE_AS`. */
export function actorOf(ctx: CommandContext, options: Record<string, unknown>): string | undefined {
  const id = typeof options.as === 'string' ? options.as : ctx.env.HUBSPOKE_AS;
  return id === '' ? undefined : id;
}

/** The hub the config describes (found from where the command runs), with the database the options name. */
export function hubOf(ctx: CommandContext, options: Record<string, unknown> = {}): Promise<Hub> {
  const database = typeof options.databaseUrl === 'string' ? options.databaseUrl : ctx.env.HUBSPOKE_DATABASE_URL;
  return loadHub({
    cwd: ctx.cwd,
    env: ctx.env,
    ...(ctx.globals.config === undefined ? {} : { config: ctx.globals.config }),
    ...(database === undefined || database === '' ? {} : { database }),
  });
}

/** Runs `fn` on the hub and always closes its database. */
export async function withHub<T>(
  ctx: CommandContext,
  options: Record<string, unknown>,
  fn: (hub: Hub) => Promise<T>,
): Promise<T> {
  const hub = await hubOf(ctx, options);
  try {
    return await fn(hub);
  } finally {
    await hub.close();
  }
}

/** The principal `--as` names (trusted local mode: the config's directory). */
export async function principalOf(ctx: CommandContext, hub: Hub, options: Record<string, unknown>): Promise<Principal> {
  const id = actorOf(ctx, options);
  if (id === undefined) {
    const people = await hub.directory();
    throw new HubspokeError(
      'E_VALIDATION',
      `--as: say who is acting, one of ${people.map((p) => p.id).join(', ') || '(no principals in config)'}`,
      { hint: 'pass --as <id> or set HUBSPOKE_AS' },
    );
  }
  return hub.principal(id);
}

/** A whole-number option of at least `min`, e.g. `--limit 50`. */
export function countOption(value: unknown, name: string, min: number): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min)
    throw new UsageError(`${name}: expected a whole number of at least ${String(min)}, got "${String(value)}"`);
  return n;
}

/** A comma-separated option as a list, e.g. `--dialect marketo,sfmc`. */
export function listOption(value: unknown): string[] {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : [];
}

/** Stops a long command between steps after Ctrl-C (exit 130); each output is written whole or not at all. */
export function stopIfInterrupted(signal: AbortSignal): void {
  if (signal.aborted)
    throw new HubspokeError('E_ABORTED', 'interrupted (Ctrl-C)', { hint: 'run the command again to finish' });
}
