import { HubspokeError, type Principal } from '@hubspoke/core';
import { loadHub, type Hub } from '@hubspoke/hub';
import { actorOf } from '../commands/options.js';
import type { CommandContext } from '../program.js';

/** The hub the config describes (found from where the command runs), with the database the options (or the run) name. */
export function hubOf(ctx: CommandContext, options: Record<string, unknown> = {}): Promise<Hub> {
  const url = typeof options.databaseUrl === 'string' ? options.databaseUrl : ctx.env.HUBSPOKE_DATABASE_URL;
  const database = url === undefined || url === '' ? ctx.database : url;
  return loadHub({
    cwd: ctx.cwd,
    env: ctx.env,
    ...(ctx.globals.config === undefined ? {} : { config: ctx.globals.config }),
    ...(database === undefined ? {} : { database }),
    ...(typeof options.poolSize === 'number' ? { poolSize: options.poolSize } : {}),
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

/** Stops a long command between steps after Ctrl-C (exit 130); each output is written whole or not at all. */
export function stopIfInterrupted(signal: AbortSignal): void {
  if (signal.aborted)
    throw new HubspokeError('E_ABORTED', 'interrupted (Ctrl-C)', { hint: 'run the command again to finish' });
}
