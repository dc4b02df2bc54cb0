export type { ServerOptions, ServerLimits, HubspokeServerApp } from './app.js';
export type { ListenOptions, RunningServer } from './serve.js';
export { HttpError, STATUS_BY_CODE, ProblemSchema } from './problem.js';
export type { Problem } from './problem.js';
export { silentLogger } from './log.js';
export type { Logger, LogEntry } from './log.js';
export { SCOPES, ScopeSchema, DEV_ISSUER } from './identity/types.js';
export type { Scope, Identity, Auth } from './identity/types.js';
export { API_TOKEN_PREFIX } from './identity/secrets.js';
export { SESSION_COOKIE, CSRF_HEADER } from './identity/authenticate.js';

// The functions above, as callers see them: arguments checked first, only HubspokeErrors escape
export {
  createServerApp,
  listen,
  isLoopbackHost,
  principalFromClaims,
  isWellFormedApiToken,
  jsonPointer,
  toProblem,
  problemResponse,
  jsonLogger,
  redact,
} from './public-functions.js';
