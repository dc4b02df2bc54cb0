// Errors
export {
  countDiagnostics,
  closest,
  backoffDelay,
  parse,
  safeParse,
  compareDiagnostics,
  actorOf,
  sleep,
  retryAfterMs,
  accessOf,
  effectiveLock,
  canEdit,
  matchesKind,
  slotProperty,
  lockedChanges,
  editableProperties,
  isTextProperty,
  normalizeHexColor,
  paletteColorOf,
  brandLibrary,
  sameLibraryUrl,
  emailContentHash,
  draftContentHash,
  sha256Hex,
  validationError,
  formatPath,
  formatIssues,
  parseAs,
  safeParseAs,
  migrateSql,
  quoteLiteral,
  eloquaDynamicContentPlaceholder,
  lexTokens,
  parseTokens,
  fieldsOf,
  conditionFields,
  evaluate,
  personalizedText,
  textWithoutData,
  fieldUses,
  isPresent,
  isAllowedRecipient,
  assertTestRecipients,
  can,
  assertCan,
  checkPrincipal,
  principalProblem,
} from './public-functions.js';
export { checkArgs, guarded, guardMethods, MAX_NAME_LENGTH, type GuardOptions } from './validation/guards.js';
export type { ArgKind, ArgSpec } from './validation/guards.js';
export { ERROR_CODES, errorCodes, isErrorCode } from './errors/error-codes.js';
export type { ErrorCode } from './errors/error-codes.js';
export { HubspokeError, isHubspokeError, toHubspokeError } from './errors/hubspoke-error.js';
export type { HubspokeErrorOptions } from './errors/hubspoke-error.js';
export { Redactor, REDACTED, SECRET_FRAGMENT } from './redact.js';

// Validation
export type { ParseResult } from './validation/parse.js';
export { describeValue } from './validation/format-issues.js';
export type { ValidationIssue } from './validation/format-issues.js';
export {
  schemas,
  jsonSchemaFiles,
  parseBrandKit,
  parseTemplateDocument,
  parseDraft,
  parseWorkflowDef,
  parseOkrSet,
  parseCampaignMetrics,
  parsePrincipal,
  parseConnectorManifest,
  parseHubspokeConfig,
} from './registry.js';
export type { SchemaName, SchemaOutput } from './registry.js';
export { canonicalJson } from './canonical-json.js';
export { jsonSchemaFor } from './json-schema.js';
export { LineIndex } from './line-index.js';
export { sqlState } from './sql-migrations.js';
export type { SqlMigration, MigrateSqlOptions } from './sql-migrations.js';
export type { HeaderReader, BackoffPolicy } from './timing.js';

// Common
export {
  SCHEMA_VERSION,
  SchemaVersionSchema,
  JsonSchemaRefSchema,
  IdSchema,
  RefSchema,
  LocaleSchema,
  HexColorSchema,
  HttpUrlSchema,
  IsoDateSchema,
  IsoDateTimeSchema,
  IsoDurationSchema,
  RegionSchema,
  TagSchema,
  NonNegativeIntSchema,
  PositiveIntSchema,
} from './schemas/common.js';
export type { Id, Locale, HexColor } from './schemas/common.js';

// Brand kit and assets
export { AssetSchema } from './schemas/asset.js';
export type { Asset } from './schemas/asset.js';
export {
  BrandKitSchema,
  PaletteColorSchema,
  BrandFontSchema,
  LogoSchema,
  BannedTermSchema,
  PreferredTermSchema,
  LegalTextSchema,
  DarkColorPairSchema,
  DarkModeSchema,
  DarkPaletteSchema,
} from './schemas/brand-kit.js';
export type {
  BrandKit,
  BrandKitInput,
  PaletteColor,
  BrandFont,
  Logo,
  BannedTerm,
  PreferredTerm,
  LegalText,
  DarkColorPair,
  DarkMode,
  DarkPalette,
} from './schemas/brand-kit.js';

// Templates and drafts
export {
  LockLevelSchema,
  LockLevelNameSchema,
  PropertyAccessSchema,
  lockLevelName,
  SlotKindSchema,
  ImageValueSchema,
  LinkValueSchema,
  SlotValueSchema,
  SlotDefSchema,
  TextSlotSchema,
  RichTextSlotSchema,
  ImageSlotSchema,
  LinkSlotSchema,
  ColorSlotSchema,
  BooleanSlotSchema,
  ListSlotSchema,
  ModuleDefSchema,
  TextFieldDefSchema,
  TemplateSchema,
} from './schemas/template.js';
export type {
  LockLevel,
  LockLevelName,
  PropertyAccess,
  SlotKind,
  ImageValue,
  LinkValue,
  SlotValue,
  SlotDef,
  TextSlotDef,
  RichTextSlotDef,
  ImageSlotDef,
  LinkSlotDef,
  ColorSlotDef,
  BooleanSlotDef,
  ListSlotDef,
  ModuleDef,
  TextFieldDef,
  Template,
  TemplateInput,
} from './schemas/template.js';
export { DraftSchema, ModuleInstanceSchema, LocaleContentSchema, NewDraftSchema } from './schemas/draft.js';
export type { Draft, DraftInput, ModuleInstance, LocaleContent, NewDraft } from './schemas/draft.js';
export { ChangeSummarySchema } from './schemas/change-summary.js';
export type { ChangeSummary } from './schemas/change-summary.js';
export { DialectSchema, FieldPathSchema, FieldMapSchema, SampleContactSchema } from './schemas/personalization.js';
export type { Dialect, FieldMap, SampleContact } from './schemas/personalization.js';
export {
  ELOQUA_DYNAMIC_CONTENT_NAME,
  EloquaCriterionSchema,
  EloquaDynamicContentRuleSchema,
  EloquaDynamicContentSchema,
  MarketoScriptTokenSchema,
  RenderedEmailSchema,
  SlotSpanSchema,
} from './schemas/rendered-email.js';
export type {
  EloquaCriterion,
  EloquaDynamicContent,
  EloquaDynamicContentRule,
  MarketoScriptToken,
  RenderedEmail,
  SlotSpan,
} from './schemas/rendered-email.js';

// Diagnostics
export {
  SeveritySchema,
  LocationSchema,
  TextEditSchema,
  FixSchema,
  DiagnosticSchema,
  DiagnosticCountsSchema,
} from './schemas/diagnostic.js';
export type { Severity, Location, TextEdit, Fix, Diagnostic, DiagnosticCounts } from './schemas/diagnostic.js';

// Access and operating models
export {
  ACTIONS,
  ActionSchema,
  PermissionScopeSchema,
  PermissionSchema,
  RoleSchema,
  PrincipalSchema,
  OwnerSchema,
  OperatingModelSchema,
} from './schemas/access.js';
export type {
  Action,
  PermissionScope,
  Permission,
  Role,
  Principal,
  PrincipalInput,
  Owner,
  OperatingModel,
  OperatingModelInput,
} from './schemas/access.js';
export { centralized, decentralized, hybrid, operatingModelPresets } from './operating-model/presets.js';
export type { OperatingModelPreset } from './operating-model/presets.js';
export { resolveOperatingModel } from './operating-model/can.js';
export type { Resource, AccessDecision, CanOptions } from './operating-model/can.js';
export type { PrincipalDirectory, PrincipalProblem } from './operating-model/directory.js';

// Workflows and approval events
export {
  ReviewerSelectorSchema,
  ROUTING_FACTS,
  RoutingFactSchema,
  ConditionOpSchema,
  ConditionSchema,
  ActivationSchema,
  CompletionSchema,
  DueSchema,
  StageDefSchema,
  WorkflowDefSchema,
  SubmissionFactsSchema,
} from './schemas/workflow.js';
export type {
  ReviewerSelector,
  RoutingFact,
  ConditionOp,
  Condition,
  FactCondition,
  Activation,
  Completion,
  Due,
  StageDef,
  WorkflowDef,
  WorkflowDefInput,
  SubmissionFacts,
} from './schemas/workflow.js';
export {
  DECISIONS,
  DecisionSchema,
  APPROVAL_EVENT_TYPES,
  ApprovalEventTypeSchema,
  ActorSchema,
  ApprovalEventSchema,
  WorkflowEffectSchema,
} from './schemas/approval-event.js';
export type { Decision, ApprovalEventType, Actor, ApprovalEvent, WorkflowEffect } from './schemas/approval-event.js';

// Campaigns, metrics and OKRs
export {
  CampaignSchema,
  CampaignMetricsSchema,
  KPI_NAMES,
  KpiNameSchema,
  METRIC_DIMENSIONS,
  MetricDimensionSchema,
} from './schemas/campaign.js';
export type { Campaign, CampaignMetrics, CampaignMetricsInput, KpiName, MetricDimension } from './schemas/campaign.js';
export {
  PeriodSchema,
  CheckInSchema,
  KpiBindingSchema,
  KeyResultSchema,
  ObjectiveOwnerSchema,
  ObjectiveSchema,
  OkrSetSchema,
} from './schemas/okr.js';
export type {
  Period,
  CheckIn,
  KpiBinding,
  KeyResult,
  KeyResultKind,
  Objective,
  OkrSet,
  OkrSetInput,
} from './schemas/okr.js';

// Connectors, storage and config
export {
  CONNECTOR_SPECIFICATION_VERSION,
  CONNECTOR_SPECIFICATION_VERSIONS,
  ConnectorSpecificationVersionSchema,
  CAPABILITY_SINCE,
  CONNECTOR_CAPABILITIES,
  ConnectorCapabilitySchema,
  ConnectorManifestSchema,
  PushEmailInputSchema,
  MetricsQuerySchema,
  SendTestInputSchema,
  UploadAssetInputSchema,
  UPLOAD_ASSET_TYPES,
} from './schemas/connector.js';
export type {
  ConnectorSpecificationVersion,
  SendTestInput,
  SendTestResult,
  UploadAssetInput,
  UploadAssetResult,
  ConnectorCapability,
  ConnectorManifest,
  ConnectorManifestInput,
  Connector,
  PushEmailInput,
  PushTemplateInput,
  PushResult,
  MetricsQuery,
  TaskInput,
  TaskRef,
  NotifyInput,
  CheckResult,
  CallOptions,
} from './schemas/connector.js';
export type { SqlClient } from './sql-client.js';
export { HubspokeConfigSchema, TestSendsConfigSchema } from './schemas/config.js';
export type { HubspokeConfig, HubspokeConfigInput, TestSendsConfig } from './schemas/config.js';

export { JWS_ALGORITHMS, JwsAlgorithmSchema, ClaimMappingSchema, IdentityConfigSchema } from './schemas/identity.js';
export type { JwsAlgorithm, ClaimMapping, IdentityConfig, IdentityConfigInput } from './schemas/identity.js';

// Shared rules: content hashes, locks, the token grammar, brand library matching

export { SLOT_PROPERTIES } from './rules/locks.js';
export type { SlotProperty } from './rules/locks.js';

export type { BrandLibrary, LibraryImage } from './rules/brand-library.js';
export { FIELD_PATH, SAFE_LITERAL } from './tokens/grammar.js';
export type {
  Branch,
  Condition as TokenCondition,
  FieldNode,
  IfNode,
  LexedTokens,
  Lexeme,
  Literal,
  ParseOptions,
  ParsedTokens,
  PlatformDialect,
  PlatformNode,
  TextNode,
  TokenError,
  TokenNode,
} from './tokens/grammar.js';

export type { ContactFields, FieldUse } from './tokens/evaluate.js';
