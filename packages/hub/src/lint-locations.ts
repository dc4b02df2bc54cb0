import { LineIndex, type Draft, type Location } from '@hubspoke/core';
import type { PhysicalRegion } from '@hubspoke/brand-rules';

/** A JSON value's literal in its file: `[start, end)`, and for a string the file offset of each decoded UTF-16 unit. */
export interface JsonSpan {
  readonly start: number;
  readonly end: number;
  /** `units[i]`: where the i-th character of the decoded string starts in the file; one more entry for its end. */
  readonly units?: readonly number[];
}

/** The key of a path in {@link jsonValueSpans}: each key or index after a NUL (the root is `''`). */
export function spanKey(path: readonly string[]): string {
  return path.map((k) => `\u0000${k}`).join('');
}

/** Where every value of a JSON text is, by {@link spanKey} of its path. Stops quietly at malformed input. */
export function jsonValueSpans(text: string): Map<string, JsonSpan> {
  const spans = new Map<string, JsonSpan>();
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const fail = (): never => {
    throw new SyntaxError(`unexpected ${JSON.stringify(text.charAt(i))} at ${i}`);
  };
  const string = (): { value: string; units: number[] } => {
    if (text[i] !== '"') fail();
    i++;
    let value = '';
    const units: number[] = [];
    while (i < text.length && text[i] !== '"') {
      units.push(i);
      if (text[i] === '\\') {
        const c = text.charAt(i + 1);
        if (c === 'u') {
          value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          value += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[c] ?? c;
          i += 2;
        }
      } else value += text.charAt(i++);
    }
    if (text[i] !== '"') fail();
    units.push(i);
    i++;
    return { value, units };
  };
  const value = (path: readonly string[]): void => {
    ws();
    const start = i;
    const key = spanKey(path);
    if (text[i] === '{' || text[i] === '[') {
      const object = text[i] === '{';
      i++;
      ws();
      let index = 0;
      while (text[i] !== (object ? '}' : ']')) {
        let name = String(index++);
        if (object) {
          name = string().value;
          ws();
          if (text[i++] !== ':') fail();
        }
        value([...path, name]);
        ws();
        if (text[i] === ',') {
          i++;
          ws();
        } else if (text[i] !== (object ? '}' : ']')) fail();
      }
      i++;
      spans.set(key, { start, end: i });
    } else if (text[i] === '"') {
      const { units } = string();
      spans.set(key, { start, end: i, units });
    } else {
      const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 64));
      if (m === null) fail();
      i += m?.[0].length ?? 0;
      spans.set(key, { start, end: i });
    }
  };
  try {
    value([]);
  } catch {
    // what was read so far is still placed
  }
  return spans;
}

/** The files findings are placed in: the draft's JSON, and the rendered output per locale. */
export interface FindingFiles {
  /** The draft file's text and its URI relative to the repository. */
  readonly draft?: { readonly uri: string; readonly text: string };
  /** URI of a locale's rendered HTML (`html`) or plain text (`text`), when written. */
  readonly rendered?: (locale: string, source: 'html' | 'text') => string | undefined;
}

/**
 * Places findings in real files (for SARIF): a finding in the output in the rendered file at its own
 * line, a finding in a slot or field at that value in the draft's JSON (offsets within the value
 * mapped through JSON escapes), anything else at the nearest enclosing value (the module, the locale).
 */
export function findingLocator(draft: Draft, files: FindingFiles): (l: Location) => PhysicalRegion | undefined {
  const text = files.draft?.text;
  const spans = text === undefined ? new Map<string, JsonSpan>() : jsonValueSpans(text);
  const lines = new LineIndex(text ?? '');
  return (l) => {
    const locale = l.locale ?? draft.defaultLocale;
    if (l.source === 'html' || l.source === 'text') {
      const uri = files.rendered?.(locale, l.source);
      if (uri !== undefined)
        return {
          uri,
          startLine: l.line ?? 1,
          startColumn: l.column ?? 1,
          ...(l.line === undefined || l.endLine === undefined ? {} : { endLine: l.endLine }),
          ...(l.line === undefined || l.endColumn === undefined ? {} : { endColumn: l.endColumn }),
        };
    }
    if (files.draft === undefined) return undefined;
    const { uri } = files.draft;
    const slot = ['content', locale, 'slots', l.instanceId ?? '', l.slotId ?? ''];
    const moduleIndex = draft.modules.findIndex((m) => m.instanceId === l.instanceId);
    // Most specific first; `exact` marks paths whose string is the text the offsets refer to.
    const candidates: { path: string[]; exact: boolean }[] = [
      ...(l.slotId === undefined
        ? []
        : [
            ...(l.property === undefined ? [] : [{ path: [...slot, l.property], exact: true }]),
            { path: slot, exact: true },
          ]),
      ...(l.field === 'subject' || l.field === 'preheader'
        ? [{ path: ['content', locale, l.field], exact: true }]
        : []),
      ...(l.instanceId === undefined ? [] : [{ path: slot.slice(0, 4), exact: false }]),
      ...(moduleIndex === -1 ? [] : [{ path: ['modules', String(moduleIndex)], exact: false }]),
      ...(l.moduleId !== undefined && l.slotId === undefined ? [{ path: ['modules'], exact: false }] : []),
      { path: ['content', locale], exact: false },
      { path: ['content'], exact: false },
      { path: [], exact: false },
    ];
    for (const { path, exact } of candidates) {
      const span = spans.get(spanKey(path));
      if (span === undefined) continue;
      let from = span.start;
      let to = span.end;
      if (exact && span.units !== undefined) {
        const units = span.units;
        const at = (n: number) => units[Math.max(0, Math.min(n, units.length - 1))] ?? span.start;
        let start = l.start;
        let end = l.end;
        if (start === undefined && l.line !== undefined) {
          const decoded = JSON.parse(text?.slice(span.start, span.end) ?? '""') as string;
          const index = new LineIndex(decoded);
          start = index.offsetOf(l.line, l.column ?? 1);
          if (l.endLine !== undefined) end = index.offsetOf(l.endLine, l.endColumn ?? 1);
        }
        if (start !== undefined) {
          from = at(start);
          to = at(Math.max(start, end ?? start));
        }
      }
      const a = lines.position(from);
      const b = lines.position(to);
      return {
        uri,
        startLine: a.line,
        startColumn: a.column,
        endLine: b.line,
        endColumn: b.line === a.line ? Math.max(b.column, a.column + 1) : b.column,
        json: exact && span.units !== undefined,
      };
    }
    return { uri, startLine: 1, startColumn: 1 };
  };
}
