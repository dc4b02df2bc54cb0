// Test helpers for Hubspoke packages and plugin authors (Node only): a vendor that echoes every
// request, leak checks for secrets, the property suite every package's exports run, and scratch
// PostgreSQL databases (through the caller's driver).
export { startEchoServer } from './echo-server.js';
export type { EchoServer, EchoedRequest } from './echo-server.js';
export { secretLeaks, shownForms } from './leaks.js';
export { scratchDatabase } from './scratch-database.js';
export type {
  PostgresAdminClient,
  PostgresDriver,
  ScratchDatabase,
  ScratchDatabaseOptions,
} from './scratch-database.js';
export {
  DEEP_LEVELS,
  HUGE_LENGTH,
  callableExports,
  deepArray,
  deepObject,
  describeThrown,
  elapsedMs,
  fastestMs,
  hostileExportFailures,
  hostileValues,
  hugeString,
  isClass,
  MAX_PROBED_POSITIONS,
  deterministicArgLists,
  methodsOf,
  probedPositions,
  probeExport,
  slowHostileRefusals,
} from './hostile.js';
export type { EscapedError, HostileSuiteOptions, HostileValue, ProbeOutcome } from './hostile.js';
