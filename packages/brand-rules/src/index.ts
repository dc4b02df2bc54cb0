export { createLinter, flattenConfig, lint } from './public-functions.js';
// Linting

export type { Linter, LinterOptions, LintInput, LintResult, ValidatedLintInput } from './engine/linter.js';

// Configuration
export type { LintConfig, ConfigOverride, Plugin, ResolvedConfig, ResolvedSetting } from './config/define-config.js';
export { presets, recommended, strict } from './config/presets.js';
export { DataRuleSchema, RuleSettingSchema, LevelSchema, ConfigDataSchema } from './config/schema.js';
export { MAX_REGEX_INPUT } from './config/regex-guard.js';
export type { RegexHazard } from './config/regex-guard.js';
export type { DataRule, DataRuleInput, RuleSetting } from './config/schema.js';

// Rules
export { builtinRules, engineRules } from './rules/index.js';
export type { PngTransparency } from './dark/png.js';
export type { BuiltinRuleId } from './rules/index.js';
export { SCOPE_NAMES } from './scope.js';
export type { ScopeSelector } from './scope.js';
export type {
  Level,
  ScopeName,
  SlotRole,
  TextUnit,
  TextSegment,
  DeclarationRef,
  ImageRef,
  LinkRef,
  EditTarget,
  StyleDeclaration,
  TermSpec,
  TermMatch,
  FixDescriptor,
  ReportDescriptor,
  LintDocument,
  RuleContext,
  RuleVisitors,
  RuleDocs,
  RuleMeta,
  RuleModule,
  SuppressedDiagnostic,
} from './types.js';

// Baselines
export { BaselineSchema } from './engine/baseline.js';
export type { Baseline, BaselineResult } from './engine/baseline.js';

// Helpers
export { TermAutomaton } from './matcher/aho-corasick.js';
export type { Pattern, PatternHit } from './matcher/aho-corasick.js';
export type { ReadabilityMetric } from './text/readability.js';

// Formatters
export { FORMATS } from './formatters/formatters.js';
export type { FormatName, FormatOptions, FormattableResult, PhysicalRegion, RuleDoc } from './formatters/formatters.js';
export type { OffsetMap, Escape } from './document/source-text.js';

// The functions above, as callers see them: arguments checked first, only HubspokeErrors escape
export {
  defineConfig,
  lintConfigJsonSchema,
  findRegexHazard,
  defineRule,
  darkPalette,
  darkCounterpart,
  inDark,
  pngTransparency,
  compileScope,
  inScope,
  createBaseline,
  applyBaseline,
  parseBaseline,
  baselineKey,
  matchCase,
  readingGrade,
  metricsFor,
  format,
  formatStylish,
  formatCompact,
  formatJson,
  formatSarif,
  codeFrame,
} from './public-functions.js';
