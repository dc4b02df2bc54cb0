import path from 'node:path';
import { parseAs } from '@hubspoke/core';
import { findConfig, loadConfig, openHub, readJson, type Hub } from '@hubspoke/hub';
import { createServerApp, jsonLogger, listen } from '@hubspoke/server';
import { EXIT } from '../output/exit-codes.js';
import { UsageError } from '../output/errors.js';
import type { CommandSpec } from '../program.js';
import { countOption } from '../commands/options.js';
import { hubOf } from './hub-context.js';

export const run: CommandSpec['run'] = async (ctx, _args, options) => {
  const port = countOption(options.port, '--port', 0);
  if (port > 65535) throw new UsageError(`--port: expected a port number up to 65535, got ${String(port)}`);
  const host = typeof options.host === 'string' ? options.host : '127.0.0.1';
  const dev = options.dev === true;
  const poolSize = options.poolSize === undefined ? undefined : countOption(options.poolSize, '--pool-size', 1);
  if (poolSize !== undefined && poolSize > 1000)
    throw new UsageError(`--pool-size: expected at most 1000 connections, got ${String(poolSize)}`);
  const url = typeof options.databaseUrl === 'string' ? options.databaseUrl : ctx.env.HUBSPOKE_DATABASE_URL;
  const configFile = ctx.globals.config ?? findConfig(ctx.cwd);
  // The database: --database-url, else the one this hub folder's config names (.hubspoke/…).
  const local: Hub | undefined =
    url === undefined || url === '' ? await hubOf(ctx, poolSize === undefined ? {} : { poolSize }) : undefined;
  const identity =
    typeof options.identity === 'string'
      ? parseAs('identityConfig', await readJson(path.resolve(ctx.cwd, options.identity), 'identity'))
      : configFile === undefined
        ? undefined
        : (await loadConfig({ cwd: ctx.cwd, file: configFile })).config.identity;
  if (identity === undefined && !dev) {
    throw new UsageError(
      'serve: nobody could sign in: add an identity section to the config (or --identity <file>), or try --dev',
    );
  }
  const publicUrl = typeof options.publicUrl === 'string' ? options.publicUrl : ctx.env.HUBSPOKE_PUBLIC_URL;
  const hub = await openHub({
    database: local === undefined ? (url ?? '') : (await local.state()).database,
    cwd: local?.dir ?? ctx.cwd,
    env: ctx.env,
    ...(poolSize === undefined ? {} : { poolSize }),
  });
  try {
    if (poolSize !== undefined && (await hub.state()).database.target.kind !== 'postgres')
      throw new UsageError('--pool-size: only a PostgreSQL database (postgres://…) has a connection pool');
    const server = await createServerApp({
      hub,
      dev,
      log: jsonLogger((line) => {
        ctx.term.out(line.trimEnd());
      }),
      ...(identity === undefined ? {} : { identity }),
      ...(publicUrl === undefined || publicUrl === '' ? {} : { publicUrl }),
    });
    const running = await listen(server, { host, port });
    if (dev)
      ctx.term.err(
        `DEVELOPMENT MODE: anyone who reaches ${running.url} can act as anyone; sign in at ${running.url}/auth/dev`,
      );
    else ctx.term.err(`serving the hub at ${running.url}`);
    // Ctrl-C (the CLI's signal, perhaps already given) or SIGTERM: finish what is in flight, end live streams, close the database.
    let onTerm: () => void = () => undefined;
    await new Promise<void>((resolve) => {
      onTerm = resolve;
      process.once('SIGTERM', onTerm);
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener(
        'abort',
        () => {
          resolve();
        },
        { once: true },
      );
    });
    process.off('SIGTERM', onTerm);
    await running.close();
    await server.close();
    return EXIT.ok;
  } finally {
    await hub.close();
    await local?.close();
  }
};
