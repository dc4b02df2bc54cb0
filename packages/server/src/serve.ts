import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HubspokeError } from '@hubspoke/core';
import { serve } from '@hono/node-server';
import type { HubspokeServerApp } from './app.js';

export interface ListenOptions {
  /** Default 127.0.0.1. Dev mode refuses anything but a loopback address. */
  host?: string;
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Run on SIGTERM/SIGINT: e.g. close the database. Called after the last request finished. */
  onClosed?: () => Promise<void>;
  /** Install SIGTERM/SIGINT handlers that shut down gracefully. Default false (the CLI turns it on). */
  handleSignals?: boolean;
  /** How long in-flight requests may take to finish before their connections are cut. Default 10 s. */
  drainMs?: number;
}

export interface RunningServer {
  url: string;
  /** Graceful: not ready, stop accepting, end live streams, let in-flight requests finish, then `onClosed`. */
  close(): Promise<void>;
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Serves the app over HTTP with graceful shutdown. */
export async function listen(server: HubspokeServerApp, options: ListenOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (server.context.devPeople !== undefined && !isLoopbackHost(host)) {
    throw new HubspokeError(
      'E_FORBIDDEN',
      `Development mode lets anyone act as anyone, so it listens only on a loopback address, not ${host}`,
      { path: 'host', hint: 'Drop --dev and configure an identity provider, or listen on 127.0.0.1.' },
    );
  }
  const http = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: server.app.fetch, port: options.port ?? 8080, hostname: host }, () => {
      resolve(s as Server);
    });
    s.once('error', reject);
  });
  const address = http.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${String(address.port)}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      server.setReady(false);
      const stopped = new Promise<void>((resolve) =>
        http.close(() => {
          resolve();
        }),
      );
      server.context.endStreams();
      http.closeIdleConnections();
      const cut = setTimeout(() => {
        http.closeAllConnections();
      }, options.drainMs ?? 10_000);
      await stopped;
      clearTimeout(cut);
      await server.context.closeLive();
      await options.onClosed?.();
      server.context.log({ level: 'info', msg: 'server stopped' });
    })());

  if (options.handleSignals === true) {
    const onSignal = (signal: NodeJS.Signals) => {
      server.context.log({ level: 'info', msg: 'shutting down', signal });
      void close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  server.context.log({ level: 'info', msg: 'listening', url, dev: server.context.devPeople !== undefined });
  return { url, close };
}
