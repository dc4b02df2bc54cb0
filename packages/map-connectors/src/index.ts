export {
  aliasNamespace,
  applyWorkflowEffect,
  applyWorkflowEffects,
  assetName,
  basicAuth,
  bearerAuth,
  campaignFor,
  classifyStatus,
  createConnector,
  createMemoryPublishStore,
  defineConnector,
  expectBody,
  formBody,
  hostEmailImages,
  isoSeconds,
  publishOnce,
  pushEmails,
  splitRange,
} from './public-functions.js';
// SDK

export type {
  ConnectorSpec,
  ConnectorDefinition,
  ConnectorContext,
  ConnectorImplementation,
  HubspokeConnector,
  RuntimeOptions,
  TaskMap,
  TestSendOptions,
  TestSendAudit,
  AssetUpload,
} from './sdk/define-connector.js';
export { HttpClient } from './sdk/http/http-client.js';
export type {
  HttpRequest,
  HttpResponse,
  HttpMethod,
  HttpClientOptions,
  MultipartPart,
  Verdict,
  Classifier,
  ClassifyInput,
} from './sdk/http/http-client.js';
export { TokenCache, staticAuth } from './sdk/http/auth.js';
export type { AuthProvider, AccessToken, TokenCacheOptions } from './sdk/http/auth.js';
export { Throttle, KeyedSerializer } from './sdk/http/throttle.js';
export type { ThrottleLimits } from './sdk/http/throttle.js';
export { DEFAULT_RETRY_POLICY } from './sdk/http/backoff.js';
export type { RetryPolicy } from './sdk/http/backoff.js';
export { Redactor, REDACTED } from './sdk/http/redact.js';
export { jsonLogger, memoryLogger, silentLogger } from './sdk/http/logger.js';
export type { Logger, LogLevel, LogRecord } from './sdk/http/logger.js';
export { createDryRunRecorder } from './sdk/http/dry-run.js';
export type { DryRunRecord, DryRunRecorder } from './sdk/http/dry-run.js';

export type {
  PublishStore,
  PublishKey,
  PublishRecord,
  PublishKind,
  PublishClaim,
  MemoryPublishStoreOptions,
} from './sdk/publish/publish-store.js';
export { createSqlPublishStore, PUBLISH_STORE_MIGRATIONS } from './sdk/publish/sql-publish-store.js';
export type {
  SqlPublishStore,
  SqlPublishStoreOptions,
  PublishStoreMigration,
} from './sdk/publish/sql-publish-store.js';
export { DEFAULT_PUBLISH_CLAIM } from './sdk/publish/publish.js';
export type { PublishSpec, PublishContext, PublishClaimOptions, RemoteAsset } from './sdk/publish/publish.js';
export { paginate } from './sdk/http/paginate.js';
export type { Page } from './sdk/http/paginate.js';

export { ActivityTally } from './sdk/metrics.js';
export type { ActivityKind } from './sdk/metrics.js';

export type { BulkReport, BulkItemResult, BulkOptions } from './sdk/publish/bulk.js';

export type { HostedImage } from './sdk/publish/assets.js';
export type { EffectOutcome } from './sdk/effects.js';
// Registry
export { builtInConnectors } from './registry.js';
export type { BuiltInConnectorId } from './registry.js';
