// The hub
export { Hub, loadHub, openHub } from './hub.js';
export type { HubState, LoadHubOptions, OpenHubOptions, CreateDraftInput, SaveDraftOptions, Page } from './hub.js';

// Checks
export { checkDraft, draftHash, localesOf } from './check.js';
export type { CheckOptions, DraftCheck } from './check.js';

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

// Folder exchange and the example hub
export { importHub, exportHub } from './exchange.js';
export type { ImportReport } from './exchange.js';
export { scaffoldFiles, scaffoldHub, exampleDraft, exampleBrandKit, examplePrincipals } from './scaffold/scaffold.js';
