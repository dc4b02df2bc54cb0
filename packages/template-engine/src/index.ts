export {
  checkSize,
  compilePersonalization,
  folderIncludes,
  importXliff,
  localeChain,
  parseTemplate,
  preparePreview,
  render,
  validateDraft,
} from './public-functions.js';
// Templates
export type { ParseTemplateOptions, ParseTemplateResult } from './template/parse-template.js';

export type { IncludeReader } from './template/includes.js';
// The lock table lives in core; re-exported for editors that import only this package.
export { SLOT_PROPERTIES, accessOf, canEdit } from '@hubspoke/core';
export type { SlotProperty } from '@hubspoke/core';

// Import
export { importMjml } from './import/import-mjml.js';
export type {
  ImportMjmlOptions,
  ImportMjmlResult,
  ImportDecision,
  ImportedModule,
  ModuleRole,
} from './import/import-mjml.js';
export { compareImport } from './import/compare.js';
export type { ImportComparison } from './import/compare.js';

// Drafts
export { createDraft } from './draft/create-draft.js';
export type { CreateDraftOptions } from './draft/create-draft.js';

export type { ValidateOptions } from './draft/validate-draft.js';
export { upgradeDraft } from './draft/upgrade-draft.js';
export type { UpgradeResult } from './draft/upgrade-draft.js';
export { summarizeChanges } from './draft/summarize-changes.js';

// Rendering
export {
  createRenderSession,
  darkPreview,
  hasDarkScheme,
  remoteSkeletons,
  skeletonFor,
  verifySkeleton,
} from './public-fill.js';
export type {
  RenderOptions,
  RenderSession,
  PreparedEmail,
  PersonalizedEmail,
  PrepareOptions,
  SkeletonComparison,
} from './render/render.js';
export { SkeletonCache, defaultSkeletonCache } from './render/skeleton.js';
export type { Skeleton, SkeletonRequest, SkeletonSource, Split } from './render/skeleton.js';
export type { FetchSkeleton, RemoteSkeletonsOptions } from './render/remote-skeletons.js';

// Personalization

export type { CompilePersonalizationOptions, CompiledPersonalization } from './personalization/personalize.js';
export type { OutputContext, ContactFields } from './personalization/compile.js';
export { DEFAULT_FIELD_MAP, resolveFieldMap } from './personalization/field-map.js';
export { CONSTRUCT_CLASSES, lexDialect } from './personalization/dialect-lexer.js';
export type { ConstructClass, LiveConstruct } from './personalization/dialect-lexer.js';
export type { PlatformDialect, ResolvedFieldMap } from './personalization/field-map.js';

// Checks
export { SIZE_LIMITS } from './checks/size.js';
export { checkAccessibility, VAGUE_LINK_TEXTS } from './checks/accessibility.js';
export type { AccessibilityOptions } from './checks/accessibility.js';
export { checkCompatibility, DEFAULT_CLIENTS } from './checks/compatibility.js';
export type {
  CompatibilityOptions,
  CompatibilityReport,
  ClientReport,
  CompatibilityIssue,
} from './checks/compatibility.js';

// Localization
export { exportXliff } from './l10n/xliff.js';
export type { ExportXliffOptions, XliffExport, XliffImport } from './l10n/xliff.js';
