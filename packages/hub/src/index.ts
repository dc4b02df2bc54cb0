// The hub
export { Hub, loadHub, openHub } from './hub.js';
export type { HubState, LoadHubOptions, OpenHubOptions, CreateDraftInput, SaveDraftOptions, Page } from './hub.js';

// Checks
export { checkDraft, localesOf, lintDrafts, readBaseline } from './check.js';
export type { CheckOptions, DraftCheck, LintDraftsOptions, LintedDraft } from './check.js';
export { findingLocator } from './lint-locations.js';
export { optionalPeer } from './optional-peer.js';
export type { FindingFiles } from './lint-locations.js';

// Review
export {
  submit,
  decide,
  comment,
  status,
  due,
  listSubmissions,
  submissionsOf,
  resolveSubmission,
  nextCommentId,
  VERDICTS,
} from './review.js';
export type { SubmitOptions, SubmitResult, DecideInput, Verdict, CommentInput } from './review.js';

// Definition sources
export { FolderSource, FolderDrafts, inFile, parseTemplateFile } from './definition/folder-source.js';
export { StoreSource } from './definition/store-source.js';
export type { HubSource, DraftSource, HubSettings, HubTemplate, SourcedDraft } from './definition/source.js';

// Storage
export { HubStore, CHANGES_CHANNEL, DRAFT_STATUSES } from './store/hub-store.js';
export type {
  HubStoreOptions,
  StoredDraft,
  DraftQuery,
  DraftStatus,
  StoredTemplate,
  Change,
  ChangeKind,
  DocumentKind,
  StoredDocument,
  MetricBatchSpec,
  MetricBatchInfo,
} from './store/hub-store.js';
export { HUB_MIGRATIONS } from './store/migrations.js';
export { openDatabase, resolveDatabase, redactUrl, poolOptions } from './database.js';
export type { HubDatabase, DatabaseTarget, ResolveDatabaseOptions, OpenDatabaseOptions } from './database.js';

// Config and files
export { defineConfig, loadConfig, findConfig, expandEnv, resolveConnectorConfig, CONFIG_FILES } from './config.js';
export type { LoadedConfig } from './config.js';
export { readJson, readText, parseJsonText } from './io/files.js';
export { writeFileAtomic, writeFoldersAtomic } from './io/write-file.js';
export { fsError } from './io/fs-error.js';

// Importing an email as a template
export { importTemplate } from './import-template.js';
export type { ImportTemplateOptions, ImportTemplateOutcome } from './import-template.js';

// Folder exchange and the example hub
export { importHub, exportHub, IMPORT_ACTIONS } from './exchange.js';
export type { ImportReport } from './exchange.js';
export { scaffoldFiles, scaffoldHub, exampleDraft, exampleBrandKit, examplePrincipals } from './scaffold/scaffold.js';

// Render, publish, measure, coordinate
export { renderAll } from './render.js';
export { stopIfAborted } from './abort.js';
export type { RenderAllOptions, RenderedVariant } from './render.js';
export { push, checkConnector } from './publish.js';
export type { PushOptions, PushOutcome } from './publish.js';
export { assistCapabilities, assistProviderName, suggestAltText, suggestSubjects } from './assist.js';
export type { AssistCapabilities, AssistSuggestion, SuggestAltTextInput, SuggestSubjectsInput } from './assist.js';
export { connectorOf } from './connectors.js';
export type { HubConnector } from './connectors.js';
export { importMetrics, pullMetrics, pullScope, groupByOf } from './metrics.js';
export type { MetricsInput, MetricsOptions, MetricsResult, PullOptions } from './metrics.js';
export { okrReport, OKR_REPORT_FORMATS } from './okr.js';
export type { OkrReportOptions } from './okr.js';
export { listEffects, requeueEffect, dispatchEffects, OUTBOX_STATUSES } from './effects.js';
export type { DispatchEffectsOptions, DispatchEffectsResult } from './effects.js';
export { upgradeDraft } from './upgrade.js';
export type { UpgradeOptions, UpgradeOutcome } from './upgrade.js';
export { previewRender, reviewView } from './preview.js';
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
