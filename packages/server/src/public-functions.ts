// The public face of the server's functions: arguments checked in O(1) before any work, and only
// HubspokeErrors escape (core's `guarded`: anything else is E_INTERNAL with the cause). The modules
// keep the plain functions for internal use.
import { guarded, HubspokeError, IdentityConfigSchema, parse, type IdentityConfig } from '@hubspoke/core';
import { Hub } from '@hubspoke/hub';
import * as app from './app.js';
import * as claims from './identity/claims.js';
import * as secrets from './identity/secrets.js';
import * as log from './log.js';
import * as problem from './problem.js';
import * as serve from './serve.js';

function invalid(path: string, message: string): HubspokeError {
  return new HubspokeError('E_VALIDATION', `Invalid ${path}: ${message}`, { path });
}

/** Async entry points report bad arguments as a rejection, as they report everything else. */
function rejecting<F extends (...args: never[]) => Promise<unknown>>(fn: string, checked: F): F {
  const wrapper = async (...args: unknown[]): Promise<unknown> =>
    await (checked as unknown as (...a: unknown[]) => unknown)(...args);
  Object.defineProperty(wrapper, 'name', { value: fn });
  Object.defineProperty(wrapper, 'length', { value: checked.length });
  return wrapper as unknown as F;
}

export const createServerApp = rejecting(
  'createServerApp',
  guarded('createServerApp', ['options:object'], async (options: app.ServerOptions) => {
    if (!((options as Partial<app.ServerOptions>).hub instanceof Hub))
      throw invalid('hub', 'createServerApp expected options.hub to be a Hub (from loadHub or openHub)');
    return app.createServerApp(options);
  }),
);

export const listen = rejecting(
  'listen',
  guarded(
    'listen',
    ['server:object', 'options:object?'],
    async (server: app.HubspokeServerApp, options?: serve.ListenOptions) => {
      const given = server as { app?: { fetch?: unknown }; context?: unknown };
      if (typeof given.app?.fetch !== 'function' || typeof given.context !== 'object' || given.context === null)
        throw invalid('server', 'listen expected the app createServerApp returned');
      if (options?.host !== undefined && (typeof options.host !== 'string' || options.host.length > 255))
        throw invalid('host', 'expected a host name or address');
      if (
        options?.port !== undefined &&
        !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535)
      )
        throw invalid('port', 'expected a port number from 0 to 65535');
      return serve.listen(server, options);
    },
  ),
);

export const isLoopbackHost = guarded('isLoopbackHost', ['host:string'], serve.isLoopbackHost);

export const principalFromClaims = guarded(
  'principalFromClaims',
  ['claims:object', 'config:object'],
  (given: Record<string, unknown>, config: IdentityConfig) =>
    claims.principalFromClaims(given, parse(IdentityConfigSchema, config, 'config')),
);

export const isWellFormedApiToken = guarded('isWellFormedApiToken', ['token:string'], secrets.isWellFormedApiToken);

export const jsonPointer = guarded('jsonPointer', ['path:string', 'label:string'], problem.jsonPointer);
/** Longest request id a problem carries (the server's own are 36 characters). */
const MAX_REQUEST_ID = 200;
function checkRequestId(requestId: string | undefined): void {
  if (requestId !== undefined && requestId.length > MAX_REQUEST_ID)
    throw invalid(
      'requestId',
      `expected at most ${String(MAX_REQUEST_ID)} characters, got ${String(requestId.length)}`,
    );
}

export const toProblem = guarded(
  'toProblem',
  ['error:any', 'requestId:string?'],
  (error: unknown, requestId?: string) => {
    checkRequestId(requestId);
    return problem.toProblem(error, requestId);
  },
);
export const problemResponse = guarded(
  'problemResponse',
  ['error:any', 'requestId:string?'],
  (error: unknown, requestId?: string) => {
    checkRequestId(requestId);
    return problem.problemResponse(error, requestId);
  },
);

export const jsonLogger = guarded('jsonLogger', ['write:function?', 'now:function?'], log.jsonLogger);
export const redact = guarded('redact', ['value:any', 'depth:number?', 'seen:object?'], log.redact);
