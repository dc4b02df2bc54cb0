import {
  HubspokeError,
  countDiagnostics,
  sha256Hex,
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
  /** Which draft was checked: `json` and `sarif` name it. */
  readonly draft?: { readonly id: string; readonly file?: string };
  /**
   * Where a finding is in a real file, for SARIF: a slot's value in the draft's JSON, a rendered
   * HTML file for findings in the output. Without it, SARIF uses the location's own line and column.
   */
  readonly locate?: (location: Location) => PhysicalRegion | undefined;
}

/** A place in a file, 1-based; `uri` relative to the repository (SARIF's `%SRCROOT%`). */
export interface PhysicalRegion {
  readonly uri: string;
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  /** The located text sits in a JSON string: fixes insert JSON-escaped text. */
  readonly json?: boolean;
}

/** Documentation of a rule that has no module (the template engine's `template/…`, `personalization/…`). */
export interface RuleDoc {
  readonly description: string;
  readonly url?: string;
}

export interface FormatOptions {
  /** Rule metadata for SARIF `tool.driver.rules` (pass `linter.rules` to include plugin and data rules). */
  readonly rules?: ReadonlyMap<string, RuleModule>;
  /** Characters of context either side of a finding in a code frame (default 40). */
  readonly frameWidth?: number;
  /** Descriptions and help pages for SARIF of rules without a module (defaults per namespace otherwise). */
  readonly ruleDocs?: ReadonlyMap<string, RuleDoc>;
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
  lines.push('', summary(counts).slice(2));
  return lines.join('\n') + '\n';
}

/** The results as JSON: diagnostics, counts, whether the run failed, suppressions. */
export function formatJson(results: FormattableResult | readonly FormattableResult[]): string {
  const data = list(results).map((r) => ({
    ...(r.draft === undefined ? {} : { draft: r.draft }),
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

const SRCROOT = '%SRCROOT%';
const README = 'https://github.com/hubspoke/hubspoke/blob/main/packages';

/** Help pages of rules without their own `docs.url`, by namespace. */
function defaultHelpUri(ruleId: string): string {
  const ns = ruleId.split('/')[0] ?? '';
  if (['a11y', 'compat', 'size'].includes(ns)) return `${README}/template-engine/README.md#checks`;
  if (['template', 'personalization', 'l10n', 'render'].includes(ns))
    return `${README}/template-engine/README.md#drafts-versions-and-routing`;
  return `${README}/brand-rules/README.md#rules`;
}

function fallbackRegion(l: Location): PhysicalRegion {
  const uri = l.file ?? (l.source === 'html' ? 'rendered.html' : 'draft.json');
  const startColumn = l.column ?? 1;
  return {
    uri,
    startLine: l.line ?? 1,
    startColumn,
    ...(l.line === undefined || l.endLine === undefined ? {} : { endLine: l.endLine }),
    ...(l.line === undefined || l.endColumn === undefined
      ? {}
      : { endColumn: Math.max(l.endColumn, l.endLine === l.line ? startColumn + 1 : 1) }),
  };
}

function sarifRegion(p: PhysicalRegion): Record<string, unknown> {
  return {
    startLine: p.startLine,
    startColumn: p.startColumn,
    ...(p.endLine === undefined ? {} : { endLine: p.endLine }),
    ...(p.endColumn === undefined ? {} : { endColumn: p.endColumn }),
  };
}

function artifact(uri: string): Record<string, unknown> {
  return { uri: uri.split(/[\\/]/).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function logicalName(l: Location): string {
  return [l.locale, l.field, l.instanceId, l.slotId, l.property].filter((p): p is string => p !== undefined).join('/');
}

function sarifLocation(place: PhysicalRegion, l: Location): Record<string, unknown> {
  const logical = logicalName(l);
  return {
    physicalLocation: { artifactLocation: artifact(place.uri), region: sarifRegion(place) },
    ...(logical === '' ? {} : { logicalLocations: [{ fullyQualifiedName: logical, kind: 'member' }] }),
  };
}

/** A fix as SARIF replacements in the located file; none when the edited text has no place in a file. */
function sarifFix(
  fix: NonNullable<Diagnostic['fix']>,
  fallback: Location,
  locate: FormattableResult['locate'],
): Record<string, unknown> | undefined {
  const l = fix.location ?? fallback;
  if (locate === undefined)
    return {
      description: { text: fix.description },
      artifactChanges: [
        {
          artifactLocation: artifact(fallbackRegion(l).uri),
          replacements: fix.edits.map((e) => ({
            deletedRegion: { charOffset: e.start, charLength: e.end - e.start },
            insertedContent: { text: e.text },
          })),
        },
      ],
    };
  const replacements: Record<string, unknown>[] = [];
  let uri: string | undefined;
  for (const e of fix.edits) {
    const from = locate({ ...l, start: e.start, end: e.start });
    const to = locate({ ...l, start: e.end, end: e.end });
    if (from === undefined || to === undefined) return undefined;
    uri = from.uri;
    replacements.push({
      deletedRegion: {
        startLine: from.startLine,
        startColumn: from.startColumn,
        endLine: to.startLine,
        endColumn: to.startColumn,
      },
      insertedContent: { text: from.json === true ? JSON.stringify(e.text).slice(1, -1) : e.text },
    });
  }
  if (uri === undefined) return undefined;
  return {
    description: { text: fix.description },
    artifactChanges: [{ artifactLocation: artifact(uri), replacements }],
  };
}

/**
 * SARIF 2.1.0 log as GitHub code scanning reads it: every result placed in a file relative to the
 * repository (`%SRCROOT%`) with a region, a `partialFingerprints` that survives moved lines, rules
 * with `fullDescription` and `helpUri`; fixes and in-source suppressions (with their justification).
 */
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
  const seen = new Map<string, number>();
  const toResult = (r: FormattableResult, d: Diagnostic, suppression?: SuppressedDiagnostic) => {
    const place = r.locate?.(d.location) ?? fallbackRegion(d.location);
    // Stable across moved lines: the rule, the file, where in the draft, and what was said.
    const key = sha256Hex([d.ruleId, place.uri, logicalName(d.location), d.message].join('\u0000')).slice(0, 32);
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    const fix = d.fix === undefined ? undefined : sarifFix(d.fix, d.location, r.locate);
    return {
      ruleId: d.ruleId,
      ruleIndex: index.get(d.ruleId) ?? 0,
      level: SARIF_LEVEL[d.severity],
      message: { text: d.message },
      locations: [sarifLocation(place, d.location)],
      partialFingerprints: { 'hubspokeFinding/v1': `${key}:${occurrence}` },
      ...(fix === undefined ? {} : { fixes: [fix] }),
      ...(suppression === undefined ? {} : { suppressions: [{ kind: 'inSource', justification: suppression.reason }] }),
      ...(d.data === undefined && d.overridable === undefined && r.draft === undefined
        ? {}
        : {
            properties: {
              ...(d.data ?? {}),
              ...(d.overridable === undefined ? {} : { overridable: d.overridable }),
              ...(r.draft === undefined ? {} : { draftId: r.draft.id }),
            },
          }),
    };
  };
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
            semanticVersion: TOOL_VERSION,
            rules: ids.map((id) => {
              const meta = rules.get(id)?.meta;
              const doc = options.ruleDocs?.get(id);
              const full = meta?.docs.description ?? doc?.description ?? `Reported as ${id}; see the help page.`;
              return {
                id,
                name: id.replace(/[/-](.)/g, (_, c: string) => c.toUpperCase()),
                shortDescription: { text: full.split(/; |\. /)[0]?.replace(/\.$/, '') ?? full },
                fullDescription: { text: full },
                helpUri: meta?.docs.url ?? doc?.url ?? defaultHelpUri(id),
                help: { text: full },
                properties: { type: meta?.type ?? 'problem', fixable: meta?.fixable !== undefined },
              };
            }),
          },
        },
        originalUriBaseIds: {
          [SRCROOT]: {
            description: { text: 'The root of the repository that holds the hub (the hub folder outside Git)' },
          },
        },
        results: all.flatMap((r) => [
          ...r.diagnostics.map((d) => toResult(r, d)),
          ...(r.suppressed ?? []).map((s) => toResult(r, s.diagnostic, s)),
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
