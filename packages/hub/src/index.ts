// The hub
export { Hub } from './hub.js';
export type { HubState, LoadHubOptions, OpenHubOptions, CreateDraftInput, SaveDraftOptions, Page } from './hub.js';

// Checks
export type { CheckOptions, DraftCheck, LintDraftsOptions, LintedDraft } from './check.js';
export type { FindingFiles } from './lint-locations.js';

// Review
export { VERDICTS } from './review.js';
export type { SubmitOptions, SubmitResult, DecideInput, Verdict, CommentInput } from './review.js';

// Definition sources
export { FolderSource, FolderDrafts } from './definition/folder-source.js';
export { StoreSource } from './definition/store-source.js';
export type { HubSource, DraftSource, HubSettings, HubTemplate, SourcedDraft } from './definition/source.js';

// Storage
export { HubStore, CHANGES_CHANNEL, DRAFT_STATUSES, parseChangeNotice } from './store/hub-store.js';
export type {
  HubStoreOptions,
  StoredDraft,
  DraftQuery,
  DraftStatus,
  StoredTemplate,
  Change,
  ChangeKind,
  ChangeNotice,
  DocumentKind,
  StoredDocument,
  MetricBatchSpec,
  MetricBatchInfo,
} from './store/hub-store.js';
export { HUB_MIGRATIONS } from './store/migrations.js';
export type { HubDatabase, DatabaseTarget, ResolveDatabaseOptions, OpenDatabaseOptions } from './database.js';

// Config and files
export { CONFIG_FILES } from './config.js';
export type { LoadedConfig } from './config.js';

// Importing an email as a template
export type { ImportTemplateOptions, ImportTemplateOutcome } from './import-template.js';

// Folder exchange and the example hub
export { IMPORT_ACTIONS } from './exchange.js';
export type { ImportReport } from './exchange.js';
export { exampleDraft, exampleBrandKit, examplePrincipals } from './scaffold/scaffold.js';

// Render, publish, measure, coordinate
export type { RenderAllOptions, RenderedVariant } from './render.js';
export type { PushOptions, PushOutcome } from './publish.js';
export type {
  AssistCapabilities,
  AssistSuggestion,
  LocaleTranslation,
  SuggestAltTextInput,
  SuggestSubjectsInput,
  TranslateLocaleInput,
} from './assist.js';
export type { HubConnector } from './connectors.js';
export type { MetricsInput, MetricsOptions, MetricsResult, PullOptions } from './metrics.js';
export { OKR_REPORT_FORMATS } from './okr.js';
export type { OkrReportOptions } from './okr.js';
export { OUTBOX_STATUSES } from './effects.js';
export type { DispatchEffectsOptions, DispatchEffectsResult } from './effects.js';
export type { UpgradeOptions, UpgradeOutcome } from './upgrade.js';
export type { PreviewRender, ReviewView } from './preview.js';

// What front ends print with (so a CLI or server needs only core and hub)
export { format as formatLint, FORMATS as LINT_FORMATS, createBaseline } from '@hubspoke/brand-rules';
export type { FormatName as LintFormat, Baseline, LintResult } from '@hubspoke/brand-rules';
export { renderKpiTable } from '@hubspoke/okr-metrics';
export type { KpiTable, OkrReportFormat, AddedCheckIn } from '@hubspoke/okr-metrics';
export type {
  Approvals,
  CommandResult,
  DueRun,
  SubmissionState,
  SubmissionSummary,
  OutboxEntry,
  OutboxStatus,
  Anchor,
} from '@hubspoke/approval-state';
export type { BulkReport, DryRunRecord } from '@hubspoke/map-connectors';

// The functions above, as callers see them: arguments checked first, only HubspokeErrors escape
export {
  loadHub,
  openHub,
  checkDraft,
  localesOf,
  lintDrafts,
  readBaseline,
  findingLocator,
  optionalPeer,
  submit,
  decide,
  comment,
  status,
  due,
  listSubmissions,
  submissionsOf,
  resolveSubmission,
  nextCommentId,
  inFile,
  parseTemplateFile,
  openDatabase,
  usePristineCluster,
  resolveDatabase,
  redactUrl,
  poolOptions,
  defineConfig,
  loadConfig,
  findConfig,
  expandEnv,
  resolveConnectorConfig,
  readJson,
  readText,
  parseJsonText,
  writeFileAtomic,
  writeFoldersAtomic,
  fsError,
  importTemplate,
  importHub,
  exportHub,
  scaffoldFiles,
  scaffoldHub,
  renderAll,
  stopIfAborted,
  push,
  checkConnector,
  assistCapabilities,
  assistProviderName,
  suggestAltText,
  suggestSubjects,
  translateLocale,
  connectorOf,
  importMetrics,
  pullMetrics,
  pullScope,
  groupByOf,
  okrReport,
  listEffects,
  requeueEffect,
  dispatchEffects,
  upgradeDraft,
  previewRender,
  reviewView,
} from './public-functions.js';
