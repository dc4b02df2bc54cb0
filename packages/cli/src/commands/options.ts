import type { Command } from 'commander';
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
