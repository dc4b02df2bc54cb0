export { createLinter, flattenConfig, lint } from './public-functions.js';
// Linting

export type { Linter, LinterOptions, LintInput, LintResult } from './engine/linter.js';

// Configuration
export { defineConfig } from './config/define-config.js';
export type { LintConfig, ConfigOverride, Plugin, ResolvedConfig, ResolvedSetting } from './config/define-config.js';
export { presets, recommended, strict } from './config/presets.js';
export { DataRuleSchema, RuleSettingSchema, LevelSchema, ConfigDataSchema } from './config/schema.js';
export { lintConfigJsonSchema } from './config/json-schema.js';
export { findRegexHazard, MAX_REGEX_INPUT } from './config/regex-guard.js';
export type { RegexHazard } from './config/regex-guard.js';
export type { DataRule, DataRuleInput, RuleSetting } from './config/schema.js';

// Rules
export { defineRule } from './rules/define-rule.js';
export { builtinRules, engineRules } from './rules/index.js';
export { darkPalette, darkCounterpart, inDark } from './dark/palette.js';
export { pngTransparency } from './dark/png.js';
export type { PngTransparency } from './dark/png.js';
export type { BuiltinRuleId } from './rules/index.js';
export { compileScope, inScope, SCOPE_NAMES } from './scope.js';
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
export { createBaseline, applyBaseline, parseBaseline, baselineKey, BaselineSchema } from './engine/baseline.js';
export type { Baseline, BaselineResult } from './engine/baseline.js';

// Helpers
export { matchCase } from './text/case.js';
export { TermAutomaton } from './matcher/aho-corasick.js';
export type { Pattern, PatternHit } from './matcher/aho-corasick.js';
export { readingGrade, metricsFor } from './text/readability.js';
export type { ReadabilityMetric } from './text/readability.js';

// Formatters
export {
  format,
  formatStylish,
  formatCompact,
  formatJson,
  formatSarif,
  codeFrame,
  FORMATS,
} from './formatters/formatters.js';
export type { FormatName, FormatOptions, FormattableResult, PhysicalRegion, RuleDoc } from './formatters/formatters.js';
export type { OffsetMap, Escape } from './document/source-text.js';
