// The public face of brand-rules' entry points: arguments checked in O(1) (strings that name a
// colour, scope, locale or pattern are bounded first), only HubspokeErrors escape (core's
// `guarded`); the modules keep the plain functions for internal use.
import { guarded, HubspokeError, isHubspokeError, type ArgSpec, type Diagnostic } from '@hubspoke/core';
import * as configModule from './config/define-config.js';
import * as jsonSchema from './config/json-schema.js';
import * as regexGuard from './config/regex-guard.js';
import * as palette from './dark/palette.js';
import * as png from './dark/png.js';
import * as baseline from './engine/baseline.js';
import * as linter from './engine/linter.js';
import * as formatters from './formatters/formatters.js';
import * as rules from './rules/define-rule.js';
import * as scope from './scope.js';
import * as textCase from './text/case.js';
import * as readability from './text/readability.js';

export const createLinter = guarded('createLinter', ['options:object'], linter.createLinter);
export const lint = guarded('lint', ['input:object'], linter.lint);
export const flattenConfig = guarded('flattenConfig', ['config:object', 'presets:object'], configModule.flattenConfig);

/** Longest colour, locale, scope name or format name an entry point reads. */
const MAX_NAME = 1_000;
/** Longest pattern `findRegexHazard` analyses (as the config schema allows). */
const MAX_PATTERN = 2_000;
/** Longest text `matchCase` adapts (a term or its replacement). */
const MAX_TERM = 100_000;
/** Most diagnostics a baseline is built from or applied to, and most scopes in one selector. */
const MAX_ITEMS = 1_000_000;

function invalid(path: string, message: string): HubspokeError {
  return new HubspokeError('E_VALIDATION', `Invalid ${path}: ${message}`, { path });
}

/** `guarded`, with the named string arguments (position → limit) bounded before anything else. */
function bounded<F extends (...args: never[]) => unknown>(
  fn: string,
  specs: readonly ArgSpec[],
  limits: Readonly<Record<number, number>>,
  impl: F,
): F {
  const inner = (...args: unknown[]): unknown => {
    for (const [at, limit] of Object.entries(limits)) {
      const value = args[Number(at)];
      if (typeof value === 'string' && value.length > limit) {
        const spec = specs[Number(at)] ?? 'argument:any';
        throw invalid(
          spec.slice(0, spec.lastIndexOf(':')),
          `${fn} takes at most ${String(limit)} characters, got ${String(value.length)}`,
        );
      }
    }
    return (impl as unknown as (...a: unknown[]) => unknown)(...args);
  };
  Object.defineProperty(inner, 'length', { value: impl.length });
  return guarded(fn, specs, inner as unknown as F);
}

/** Diagnostics as the baseline reads them: an array of objects, each with a location and a rule id. */
function checkDiagnostics(value: unknown, path: string): asserts value is readonly Diagnostic[] {
  if (!Array.isArray(value)) throw invalid(path, 'expected an array of diagnostics');
  if (value.length > MAX_ITEMS) throw invalid(path, `at most ${String(MAX_ITEMS)} diagnostics`);
  for (const [i, d] of value.entries()) {
    const item = d as { location?: unknown; ruleId?: unknown } | null;
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw invalid(`${path}[${String(i)}]`, 'expected a diagnostic');
    if (typeof item.ruleId !== 'string' || item.ruleId.length > MAX_NAME)
      throw invalid(`${path}[${String(i)}].ruleId`, 'expected a rule id');
    const location = item.location as Record<string, unknown> | null;
    if (typeof location !== 'object' || location === null || Array.isArray(location))
      throw invalid(`${path}[${String(i)}].location`, 'expected a location');
    for (const key of ['file', 'locale', 'source', 'field', 'instanceId', 'slotId', 'property']) {
      const part = location[key];
      if (part !== undefined && typeof part !== 'string')
        throw invalid(`${path}[${String(i)}].location.${key}`, 'expected a string');
    }
  }
}

/**
 * A formatter's public face: results are objects (or an array of them); a cyclic, too deeply
 * nested or BigInt-holding result that the serializer cannot write is `E_VALIDATION`.
 */
function formatter<F extends (...args: never[]) => string>(fn: string, specs: readonly ArgSpec[], impl: F): F {
  const inner = (...args: unknown[]): unknown => {
    const results = args[specs.findIndex((s) => s.startsWith('results:'))];
    if (typeof results !== 'object' || results === null)
      throw invalid('results', `${fn} expected a lint result or an array of them`);
    try {
      return (impl as unknown as (...a: unknown[]) => unknown)(...args);
    } catch (error) {
      if (isHubspokeError(error) || !(error instanceof TypeError || error instanceof RangeError)) throw error;
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid results: ${fn} cannot write them (cyclic, too deeply nested, holding a BigInt or not lint results)`,
        { path: 'results', cause: error },
      );
    }
  };
  Object.defineProperty(inner, 'length', { value: impl.length });
  return guarded(fn, specs, inner as unknown as F);
}

// Configuration
export const defineConfig = guarded('defineConfig', ['config:object'], configModule.defineConfig);
export const lintConfigJsonSchema = guarded('lintConfigJsonSchema', [], jsonSchema.lintConfigJsonSchema);
export const findRegexHazard = bounded(
  'findRegexHazard',
  ['source:string', 'flags:string'],
  { 0: MAX_PATTERN, 1: 16 },
  regexGuard.findRegexHazard,
);

// Rules
export const defineRule = guarded('defineRule', ['rule:object'], rules.defineRule);
export const darkPalette = guarded('darkPalette', ['kit:object'], palette.darkPalette);
export const darkCounterpart = bounded(
  'darkCounterpart',
  ['light:string', 'against:string', 'target:number', 'toward:string?'],
  { 0: MAX_NAME, 1: MAX_NAME, 3: MAX_NAME },
  palette.darkCounterpart,
);
export const inDark = bounded('inDark', ['palette:object', 'hex:string'], { 1: MAX_NAME }, palette.inDark);
export const pngTransparency = guarded('pngTransparency', ['bytes:object'], (bytes: Uint8Array) => {
  if (!(bytes instanceof Uint8Array)) throw invalid('bytes', 'pngTransparency expected a Uint8Array');
  return png.pngTransparency(bytes);
});
export const compileScope = bounded(
  'compileScope',
  ['scope:value', 'path:string?'],
  { 0: MAX_NAME, 1: MAX_NAME },
  (value: string | readonly string[], path?: string) => {
    const label = path ?? 'scope';
    if (Array.isArray(value)) {
      if (value.length > MAX_ITEMS) throw invalid(label, `at most ${String(MAX_ITEMS)} scopes`);
      for (const [i, name] of (value as unknown[]).entries())
        if (typeof name !== 'string' || name.length > MAX_NAME)
          throw invalid(`${label}[${String(i)}]`, `expected a scope name of at most ${String(MAX_NAME)} characters`);
    } else if (typeof value !== 'string') throw invalid(label, 'expected a scope name or an array of them');
    return scope.compileScope(value, path);
  },
);
export const inScope = guarded(
  'inScope',
  ['selector:object', 'scopes:object'],
  (selector: scope.ScopeSelector, scopes: ReadonlySet<string>) => {
    if (!Array.isArray(selector.include) || !Array.isArray(selector.exclude))
      throw invalid('selector', 'inScope expected a selector from compileScope');
    if (typeof (scopes as Partial<ReadonlySet<string>>).has !== 'function')
      throw invalid('scopes', 'inScope expected a Set of scope names');
    return scope.inScope(selector, scopes);
  },
);

// Baselines
export const createBaseline = guarded('createBaseline', ['diagnostics:array'], (diagnostics: readonly Diagnostic[]) => {
  checkDiagnostics(diagnostics, 'diagnostics');
  return baseline.createBaseline(diagnostics);
});
export const applyBaseline = guarded(
  'applyBaseline',
  ['diagnostics:array', 'baseline:object'],
  (diagnostics: readonly Diagnostic[], known: baseline.Baseline) => {
    checkDiagnostics(diagnostics, 'diagnostics');
    return baseline.applyBaseline(diagnostics, known);
  },
);
export const parseBaseline = guarded('parseBaseline', ['input:any'], baseline.parseBaseline);
export const baselineKey = guarded('baselineKey', ['diagnostic:object'], (d: Diagnostic) => {
  checkDiagnostics([d], 'diagnostics');
  return baseline.baselineKey(d);
});

// Helpers
export const matchCase = bounded(
  'matchCase',
  ['original:string', 'replacement:string'],
  { 0: MAX_TERM, 1: MAX_TERM },
  textCase.matchCase,
);
export const readingGrade = bounded(
  'readingGrade',
  ['text:string', 'locale:string', 'metrics:array'],
  { 1: MAX_NAME },
  readability.readingGrade,
);
export const metricsFor = bounded('metricsFor', ['locale:string'], { 0: MAX_NAME }, readability.metricsFor);

// Formatters
export const format = formatter('format', ['name:string', 'results:value', 'options:object?'], formatters.format);
export const formatStylish = formatter('formatStylish', ['results:value', 'options:object?'], formatters.formatStylish);
export const formatCompact = formatter('formatCompact', ['results:value'], formatters.formatCompact);
export const formatJson = formatter('formatJson', ['results:value'], formatters.formatJson);
export const formatSarif = formatter('formatSarif', ['results:value', 'options:object?'], formatters.formatSarif);
export const codeFrame = guarded(
  'codeFrame',
  ['source:string', 'location:object', 'width:number?'],
  formatters.codeFrame,
);
