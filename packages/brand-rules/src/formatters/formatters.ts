import {
  HubspokeError,
  countDiagnostics,
  type Diagnostic,
  type DiagnosticCounts,
  type Location,
  type Severity,
} from '@hubspoke/core';
import { builtinRules, engineRules } from '../rules/index.js';
import type { RuleModule, SuppressedDiagnostic } from '../types.js';

/** What a formatter needs of a lint result (a `LintResult` fits). */
export interface FormattableResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly suppressed?: readonly SuppressedDiagnostic[];
  readonly baselined?: readonly Diagnostic[];
  readonly failed?: boolean;
  readonly minLevel?: Severity;
  /** The located text, for code frames. */
  readonly sourceText?: (location: Location) => string | undefined;
}

export interface FormatOptions {
  /** Rule metadata for SARIF `tool.driver.rules` (pass `linter.rules` to include plugin and data rules). */
  readonly rules?: ReadonlyMap<string, RuleModule>;
  /** Characters of context either side of a finding in a code frame (default 40). */
  readonly frameWidth?: number;
}

export const FORMATS = ['stylish', 'compact', 'json', 'sarif'] as const;
export type FormatName = (typeof FORMATS)[number];

const TOOL_VERSION = '0.1.0';

function isList(results: FormattableResult | readonly FormattableResult[]): results is readonly FormattableResult[] {
  return Array.isArray(results);
}

function list(results: FormattableResult | readonly FormattableResult[]): readonly FormattableResult[] {
  return isList(results) ? results : [results];
}

/** `berlin-spring (de-DE)`: which text of which file. */
function fileLabel(l: Location): string {
  const file = l.file ?? (l.source === 'html' ? 'rendered' : 'draft');
  return l.locale === undefined ? file : `${file} (${l.locale})`;
}

/** `hero-1 › headline › href`, `subject`, or the source. */
function placeLabel(l: Location): string {
  const parts = [l.field, l.instanceId, l.slotId, l.property].filter(
    (p): p is string => p !== undefined && p !== 'body',
  );
  if (parts.length > 0) return parts.join(' › ');
  return l.source ?? '';
}

function position(l: Location): string {
  return l.line === undefined ? '' : `${l.line}:${l.column ?? 1}`;
}

function summary(counts: DiagnosticCounts): string {
  const total = counts.error + counts.warning + counts.suggestion;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${total === 0 ? '✔' : '✖'} ${plural(total, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.suggestion, 'suggestion')})`;
}

/** A one-line window of the source around [column, endColumn) with carets under it. */
export function codeFrame(source: string, location: Location, width = 40): string | undefined {
  if (location.line === undefined || location.column === undefined) return undefined;
  const lines = source.split('\n');
  const line = lines[location.line - 1];
  if (line === undefined) return undefined;
  const start = location.column - 1;
  const end =
    location.endLine === location.line && location.endColumn !== undefined
      ? Math.max(location.endColumn - 1, start + 1)
      : Math.min(line.length, start + 1);
  const from = Math.max(0, start - width);
  const to = Math.min(line.length, end + width);
  const prefix = from > 0 ? '…' : '';
  const shown = `${prefix}${line.slice(from, to)}${to < line.length ? '…' : ''}`.replace(/\t/g, ' ');
  const gutter = String(location.line);
  const caretOffset = prefix.length + start - from;
  return `    > ${gutter} | ${shown}\n      ${' '.repeat(gutter.length)} | ${' '.repeat(caretOffset)}${'^'.repeat(Math.max(1, Math.min(end, to) - start))}`;
}

/** ESLint-style report grouped by file and locale, with a code frame under each finding. */
export function formatStylish(
  results: FormattableResult | readonly FormattableResult[],
  options: FormatOptions = {},
): string {
  const out: string[] = [];
  const all: Diagnostic[] = [];
  let fixable = 0;
  let suppressed = 0;
  let baselined = 0;
  for (const result of list(results)) {
    suppressed += result.suppressed?.length ?? 0;
    baselined += result.baselined?.length ?? 0;
    const groups = new Map<string, Diagnostic[]>();
    for (const d of result.diagnostics) {
      const label = fileLabel(d.location);
      groups.set(label, [...(groups.get(label) ?? []), d]);
    }
    for (const [label, diagnostics] of groups) {
      out.push('', label);
      for (const d of diagnostics) {
        all.push(d);
        if (d.fix !== undefined) fixable++;
        const where = [placeLabel(d.location), position(d.location)].filter((p) => p !== '').join('  ');
        out.push(`  ${where.padEnd(24)}  ${d.severity.padEnd(10)}  ${d.message}  ${d.ruleId}`);
        const source = result.sourceText?.(d.location);
        const frame = source === undefined ? undefined : codeFrame(source, d.location, options.frameWidth);
        if (frame !== undefined) out.push(frame);
      }
    }
  }
  out.push('', summary(countDiagnostics(all)));
  if (fixable > 0) out.push(`  ${fixable} problem${fixable === 1 ? '' : 's'} fixable with --fix`);
  if (suppressed > 0) out.push(`  ${suppressed} suppressed inline (with reasons)`);
  if (baselined > 0) out.push(`  ${baselined} known in the baseline`);
  return out.join('\n').replace(/^\n/, '') + '\n';
}

/** One line per finding: `file: line 3, col 5, Error - message (rule)`. */
export function formatCompact(results: FormattableResult | readonly FormattableResult[]): string {
  const lines: string[] = [];
  for (const result of list(results)) {
    for (const d of result.diagnostics) {
      const l = d.location;
      const where =
        l.line === undefined
          ? `[${placeLabel(l)}]`
          : `line ${l.line}, col ${l.column ?? 1}${placeLabel(l) === 'html' ? '' : ` [${placeLabel(l)}]`}`;
      const severity = d.severity.charAt(0).toUpperCase() + d.severity.slice(1);
      lines.push(`${fileLabel(l)}: ${where}, ${severity} - ${d.message.replace(/\s+/g, ' ')} (${d.ruleId})`);
    }
  }
  const all = list(results).flatMap((r) => r.diagnostics);
  const counts = countDiagnostics(all);
  lines.push(
    '',
    `${all.length} problem${all.length === 1 ? '' : 's'} (${counts.error} errors, ${counts.warning} warnings, ${counts.suggestion} suggestions)`,
  );
  return lines.join('\n') + '\n';
}

/** The results as JSON: diagnostics, counts, whether the run failed, suppressions. */
export function formatJson(results: FormattableResult | readonly FormattableResult[]): string {
  const data = list(results).map((r) => ({
    diagnostics: r.diagnostics,
    counts: countDiagnostics(r.diagnostics),
    failed: r.failed ?? false,
    minLevel: r.minLevel ?? 'error',
    suppressed: r.suppressed ?? [],
    baselined: r.baselined?.length ?? 0,
  }));
  return JSON.stringify(data, null, 2) + '\n';
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  suggestion: 'note',
};

function sarifLocation(l: Location): Record<string, unknown> {
  const physical: Record<string, unknown> = {
    artifactLocation: { uri: encodeURI(l.file ?? (l.source === 'html' ? 'rendered.html' : 'draft.json')) },
  };
  if (l.line !== undefined) {
    physical.region = {
      startLine: l.line,
      startColumn: l.column ?? 1,
      ...(l.endLine === undefined ? {} : { endLine: l.endLine }),
      ...(l.endColumn === undefined
        ? {}
        : { endColumn: Math.max(l.endColumn, l.endLine === l.line ? (l.column ?? 1) + 1 : 1) }),
      ...(l.start === undefined ? {} : { charOffset: l.start, charLength: Math.max(0, (l.end ?? l.start) - l.start) }),
    };
  }
  const logical = [l.locale, l.field, l.instanceId, l.slotId, l.property].filter((p): p is string => p !== undefined);
  return {
    physicalLocation: physical,
    ...(logical.length === 0 ? {} : { logicalLocations: [{ fullyQualifiedName: logical.join('/'), kind: 'member' }] }),
  };
}

function sarifFix(fix: NonNullable<Diagnostic['fix']>, fallback: Location): Record<string, unknown> {
  const l = fix.location ?? fallback;
  return {
    description: { text: fix.description },
    artifactChanges: [
      {
        artifactLocation: { uri: encodeURI(l.file ?? (l.source === 'html' ? 'rendered.html' : 'draft.json')) },
        replacements: fix.edits.map((e) => ({
          deletedRegion: { charOffset: e.start, charLength: e.end - e.start },
          insertedContent: { text: e.text },
        })),
      },
    ],
  };
}

/** SARIF 2.1.0 log with rule metadata, fixes and in-source suppressions (with their justification). */
export function formatSarif(
  results: FormattableResult | readonly FormattableResult[],
  options: FormatOptions = {},
): string {
  const rules =
    options.rules ??
    new Map<string, RuleModule>(Object.entries({ ...builtinRules, ...engineRules }) as [string, RuleModule][]);
  const all = list(results);
  const used = new Set<string>();
  for (const r of all) {
    for (const d of r.diagnostics) used.add(d.ruleId);
    for (const s of r.suppressed ?? []) used.add(s.diagnostic.ruleId);
  }
  const ids = [...new Set([...rules.keys(), ...used])].sort();
  const index = new Map(ids.map((id, i) => [id, i]));
  const toResult = (d: Diagnostic, suppression?: SuppressedDiagnostic) => ({
    ruleId: d.ruleId,
    ruleIndex: index.get(d.ruleId) ?? 0,
    level: SARIF_LEVEL[d.severity],
    message: { text: d.message },
    locations: [sarifLocation(d.location)],
    ...(d.fix === undefined ? {} : { fixes: [sarifFix(d.fix, d.location)] }),
    ...(suppression === undefined ? {} : { suppressions: [{ kind: 'inSource', justification: suppression.reason }] }),
    ...(d.data === undefined && d.overridable === undefined
      ? {}
      : { properties: { ...(d.data ?? {}), ...(d.overridable === undefined ? {} : { overridable: d.overridable }) } }),
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: '@hubspoke/brand-rules',
            informationUri: 'https://github.com/hubspoke/hubspoke/tree/main/packages/brand-rules',
            version: TOOL_VERSION,
            rules: ids.map((id) => {
              const meta = rules.get(id)?.meta;
              return {
                id,
                shortDescription: { text: meta?.docs.description ?? id },
                ...(meta?.docs.url === undefined ? {} : { helpUri: meta.docs.url }),
                properties: { type: meta?.type ?? 'problem', fixable: meta?.fixable !== undefined },
              };
            }),
          },
        },
        results: all.flatMap((r) => [
          ...r.diagnostics.map((d) => toResult(d)),
          ...(r.suppressed ?? []).map((s) => toResult(s.diagnostic, s)),
        ]),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/** Formats with a formatter by name (`stylish`, `compact`, `json`, `sarif`), as the CLI's `--format`. */
export function format(
  name: FormatName,
  results: FormattableResult | readonly FormattableResult[],
  options: FormatOptions = {},
): string {
  switch (name) {
    case 'stylish':
      return formatStylish(results, options);
    case 'compact':
      return formatCompact(results);
    case 'json':
      return formatJson(results);
    case 'sarif':
      return formatSarif(results, options);
    default:
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid format: expected one of ${FORMATS.map((f) => JSON.stringify(f)).join(' | ')}, got ${JSON.stringify(name)}`,
        { path: 'format' },
      );
  }
}
