import type { Diagnostic, Location } from '@hubspoke/core';
import type { LocatedComment } from '../document/build-document.js';
import { LineIndex, locationKey } from '../document/source-text.js';
import type { SuppressedDiagnostic } from '../types.js';

/**
 * `hubspoke-disable-next-line <rules> -- <reason>`, `hubspoke-disable-line …`, and
 * `hubspoke-disable … -- <reason>` / `hubspoke-enable …` ranges, written as HTML comments in
 * rendered HTML or in a rich-text slot. No rules = every rule. The reason is mandatory.
 */
export interface Directive {
  readonly kind: 'disable-next-line' | 'disable-line' | 'disable' | 'enable';
  readonly rules: readonly string[];
  readonly reason: string | undefined;
  readonly location: Location;
  readonly key: string;
  /** Offsets (in the located text) the directive covers. */
  readonly from: number;
  readonly to: number;
  used: boolean;
}

export interface DirectiveProblem {
  readonly messageId: 'missingReason' | 'unknownRule' | 'malformed' | 'unused';
  readonly data: Record<string, string>;
  readonly location: Location;
}

const DIRECTIVE = /^\s*hubspoke-(disable-next-line|disable-line|disable|enable)\b(.*)$/s;
const RULE_ID = /^[a-z][a-z0-9-]*\/[a-z0-9][a-z0-9/-]*$/;

function lineRange(index: LineIndex, text: string, line: number): { from: number; to: number } {
  const from = index.offsetOfLine(line);
  const next = index.offsetOfLine(line + 1);
  return { from, to: next === from ? text.length : next };
}

/** Reads the directives in `comments`; problems (no reason, unknown rule) are returned, not thrown. */
export function parseDirectives(
  comments: readonly LocatedComment[],
  sources: ReadonlyMap<string, string>,
  knownRule: (id: string) => boolean,
): { directives: Directive[]; problems: DirectiveProblem[] } {
  const directives: Directive[] = [];
  const problems: DirectiveProblem[] = [];
  const indexes = new Map<string, LineIndex>();
  const open = new Map<string, Directive[]>();
  for (const comment of comments) {
    const m = DIRECTIVE.exec(comment.text);
    if (!m) continue;
    const kind = m[1] as Directive['kind'];
    const rest = m[2] ?? '';
    const split = rest.indexOf('--');
    const rulesPart = split === -1 ? rest : rest.slice(0, split);
    const reason = split === -1 ? undefined : rest.slice(split + 2).trim() || undefined;
    const rules = rulesPart.split(/[\s,]+/).filter((r) => r !== '');
    const location: Location = { ...comment.location, start: comment.start, end: comment.end };
    const key = locationKey(comment.location);
    const text = sources.get(key) ?? '';
    let index = indexes.get(key);
    if (index === undefined) {
      index = new LineIndex(text);
      indexes.set(key, index);
    }
    const bad = rules.filter((r) => !RULE_ID.test(r) || !knownRule(r));
    if (bad.length > 0) {
      problems.push({ messageId: 'unknownRule', data: { rules: bad.join(', ') }, location });
      continue;
    }
    if (kind === 'enable') {
      const stack = open.get(key) ?? [];
      const match = [...stack]
        .reverse()
        .find((d) => rules.length === 0 || d.rules.length === 0 || rules.some((r) => d.rules.includes(r)));
      if (match) {
        stack.splice(stack.indexOf(match), 1);
        directives[directives.indexOf(match)] = { ...match, to: comment.start };
      }
      continue;
    }
    if (reason === undefined) {
      problems.push({ messageId: 'missingReason', data: { directive: `hubspoke-${kind}` }, location });
      continue;
    }
    const startLine = index.position(comment.start).line;
    const endLine = index.position(Math.max(comment.start, comment.end - 1)).line;
    let range: { from: number; to: number };
    if (kind === 'disable-next-line') range = lineRange(index, text, endLine + 1);
    else if (kind === 'disable-line')
      range = { from: lineRange(index, text, startLine).from, to: lineRange(index, text, endLine).to };
    else range = { from: comment.end, to: text.length };
    const directive: Directive = { kind, rules, reason, location, key, from: range.from, to: range.to, used: false };
    directives.push(directive);
    if (kind === 'disable') open.set(key, [...(open.get(key) ?? []), directive]);
  }
  return { directives, problems };
}

/** Splits diagnostics into kept and suppressed; marks the directives that were used. */
export function applyDirectives(
  diagnostics: readonly Diagnostic[],
  directives: readonly Directive[],
): { kept: Diagnostic[]; suppressed: SuppressedDiagnostic[] } {
  if (directives.length === 0) return { kept: [...diagnostics], suppressed: [] };
  const kept: Diagnostic[] = [];
  const suppressed: SuppressedDiagnostic[] = [];
  for (const d of diagnostics) {
    const start = d.location.start;
    const key = locationKey(d.location);
    const directive =
      start === undefined
        ? undefined
        : directives.find(
            (x) =>
              x.key === key && start >= x.from && start < x.to && (x.rules.length === 0 || x.rules.includes(d.ruleId)),
          );
    if (directive?.reason === undefined) {
      kept.push(d);
      continue;
    }
    directive.used = true;
    suppressed.push({ diagnostic: d, reason: directive.reason, directive: directive.location });
  }
  return { kept, suppressed };
}
