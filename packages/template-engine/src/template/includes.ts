import { LineIndex } from '@hubspoke/core';
import { attr, childElements, parseSourceTree, walkElements, type SourceElement } from './source-tree.js';

/**
 * Reads the files `mj-include` names. Paths are relative to the hub folder, `/`-separated and
 * already checked: they never start with `/` and never leave the folder (`..`).
 */
export interface IncludeReader {
  /** The file's text, or undefined when there is no such file. */
  read(path: string): string | undefined;
}

/** A piece of expanded text and where it came from; text the expander wrote points at its mj-include (`fixed`). */
interface Piece {
  text: string;
  file: string | undefined;
  offset: number;
  fixed: boolean;
}

/** Where written text (wrappers such as `<mj-style>`) is reported: the mj-include it replaces. */
interface Origin {
  file: string | undefined;
  offset: number;
}

/** Text assembled from several files, remembering where each character came from. */
export class MappedText {
  readonly pieces: Piece[] = [];
  private length = 0;

  static of(text: string, file: string | undefined): MappedText {
    return new MappedText().add(text, file, 0);
  }

  add(text: string, file: string | undefined, offset: number, fixed = false): this {
    if (text !== '') {
      this.pieces.push({ text, file, offset, fixed });
      this.length += text.length;
    }
    return this;
  }

  /** Text the expander wrote, reported at `origin`. */
  write(text: string, origin: Origin): this {
    return this.add(text, origin.file, origin.offset, true);
  }

  append(other: MappedText): this {
    for (const p of other.pieces) this.add(p.text, p.file, p.offset, p.fixed);
    return this;
  }

  slice(start: number, end: number): MappedText {
    const out = new MappedText();
    let at = 0;
    for (const p of this.pieces) {
      const from = Math.max(start, at);
      const to = Math.min(end, at + p.text.length);
      if (from < to)
        out.add(p.text.slice(from - at, to - at), p.file, p.fixed ? p.offset : p.offset + (from - at), p.fixed);
      at += p.text.length;
    }
    return out;
  }

  toString(): string {
    return this.pieces.map((p) => p.text).join('');
  }

  get size(): number {
    return this.length;
  }
}

export interface IncludeIssue {
  message: string;
  /** Where the offending mj-include is, in the text that contains it. */
  file: string | undefined;
  start: number;
  end: number;
  ruleId: 'template/include' | 'template/include-denied';
}

export interface ExpandedSource {
  source: string;
  /** Maps an offset of `source` back to its file, line and column. */
  locate(offset: number): { file: string | undefined; offset: number; line: number; column: number };
  /** Line and column of an offset in one of the files read (or the template itself). */
  position(file: string | undefined, offset: number): { line: number; column: number };
  issues: IncludeIssue[];
  /** Every file read, in order. */
  files: string[];
}

const MAX_DEPTH = 16;

/** `mj-include` paths as mjml reads them: percent-decoded repeatedly (it decodes up to 10 times). */
function fullyDecode(input: string): string {
  let result = input;
  for (let i = 0; i < 10; i += 1) {
    try {
      const decoded = decodeURIComponent(result);
      if (decoded === result) break;
      result = decoded;
    } catch {
      break;
    }
  }
  return result;
}

/**
 * Resolves an include path against the including file, inside the hub folder. Returns the
 * normalized folder-relative path, or why it is refused: absolute paths, drive letters, UNC and
 * backslash paths, NUL bytes, and any path that climbs out of the folder (also when percent-encoded).
 */
export function resolveIncludePath(from: string | undefined, raw: string): { path: string } | { refused: string } {
  const decoded = fullyDecode(raw);
  if (decoded.includes('\0')) return { refused: 'the path contains a NUL byte' };
  if (decoded.includes('\\')) return { refused: 'use "/" in include paths' };
  if (decoded.startsWith('/') || /^[a-zA-Z]:/.test(decoded))
    return { refused: 'absolute paths are not allowed; write the path relative to the including file' };
  const base = from === undefined ? [] : from.split('/').slice(0, -1);
  const parts = [...base];
  for (const segment of decoded.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (parts.length === 0) return { refused: 'the path leaves the hub folder' };
      parts.pop();
    } else parts.push(segment);
  }
  if (parts.length === 0) return { refused: 'the path names no file' };
  return { path: parts.join('/') };
}

interface Context {
  reader: IncludeReader;
  issues: IncludeIssue[];
  files: string[];
  texts: Map<string | undefined, string>;
}

/**
 * Expands every `mj-include` the way mjml 5 does with includes enabled: an MJML file's body
 * children replace the include and its head children are added to the head; a file without
 * `<mjml>` is a fragment put in place; `type="css"` becomes an `mj-style` (inline with
 * `css-inline="inline"`) at the end of the head; `type="html"` an `mj-raw` in place. Files are
 * read only through `reader`, only inside the hub folder; a refused or missing file is an issue
 * and the include is dropped.
 */
export function expandIncludes(source: string, file: string | undefined, reader: IncludeReader): ExpandedSource {
  const context: Context = { reader, issues: [], files: [], texts: new Map([[file, source]]) };
  const expanded = expandDocument(MappedText.of(source, file), file, [file ?? ''], context);
  const text = expanded.toString();
  const starts: number[] = [];
  let at = 0;
  for (const p of expanded.pieces) {
    starts.push(at);
    at += p.text.length;
  }
  const indexes = new Map<string | undefined, LineIndex>();
  const position = (of: string | undefined, offset: number) => {
    let index = indexes.get(of);
    if (!index) indexes.set(of, (index = new LineIndex(context.texts.get(of) ?? '')));
    return index.position(offset);
  };
  return {
    source: text,
    issues: context.issues,
    files: context.files,
    position,
    locate(offset) {
      let lo = 0;
      let hi = expanded.pieces.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] ?? 0) <= offset) lo = mid;
        else hi = mid - 1;
      }
      const piece = expanded.pieces[lo];
      if (!piece) return { file, offset: 0, line: 1, column: 1 };
      const at = piece.fixed ? piece.offset : piece.offset + Math.max(0, offset - (starts[lo] ?? 0));
      return { file: piece.file, offset: at, ...position(piece.file, at) };
    },
  };
}

/** One document (the template, or an included MJML file) with its own includes expanded. */
function expandDocument(doc: MappedText, file: string | undefined, stack: string[], context: Context): MappedText {
  const text = doc.toString();
  const tree = parseSourceTree(text);
  const root = tree.nodes.find((n): n is SourceElement => n.kind === 'element' && n.name === 'mjml');
  const includes = [...walkElements(tree.nodes)].filter((e) => e.name === 'mj-include' && !e.inEnding);
  if (!root || includes.length === 0) return doc;
  const head = childElements(root).find((e) => e.name === 'mj-head');
  const edits: { start: number; end: number; text: MappedText }[] = [];
  const headParts = new MappedText();
  const cssParts = new MappedText();
  const originOf = (offset: number): Origin => {
    const piece = doc.slice(offset, offset + 1).pieces[0];
    return { file: piece?.file ?? file, offset: piece?.offset ?? 0 };
  };

  for (const include of includes) {
    const replace = (replacement: MappedText) =>
      edits.push({ start: include.start, end: include.end, text: replacement });
    const origin = originOf(include.start);
    const issue = (ruleId: IncludeIssue['ruleId'], message: string) => {
      context.issues.push({
        ruleId,
        message,
        file: origin.file,
        start: origin.offset,
        end: origin.offset + (include.openEnd - include.start),
      });
      replace(new MappedText());
    };
    const rawPath = attr(include, 'path');
    if (rawPath === undefined || rawPath.trim() === '') {
      issue('template/include', 'mj-include needs a path="…" attribute');
      continue;
    }
    const resolved = resolveIncludePath(file, rawPath);
    if ('refused' in resolved) {
      issue('template/include-denied', `mj-include path="${rawPath}" is refused: ${resolved.refused}`);
      continue;
    }
    const path = resolved.path;
    if (stack.includes(path)) {
      issue('template/include', `mj-include path="${rawPath}" includes itself (${[...stack, path].join(' → ')})`);
      continue;
    }
    if (stack.length > MAX_DEPTH) {
      issue('template/include', `mj-include path="${rawPath}": includes nest more than ${MAX_DEPTH} deep`);
      continue;
    }
    let content: string | undefined;
    try {
      content = context.reader.read(path);
    } catch (cause) {
      issue('template/include', `mj-include path="${rawPath}" could not be read: ${describe(cause)}`);
      continue;
    }
    if (content === undefined) {
      issue('template/include', `mj-include path="${rawPath}": there is no file ${path} in the hub folder`);
      continue;
    }
    context.files.push(path);
    context.texts.set(path, content);
    const type = attr(include, 'type');
    if (type === 'css') {
      const inline = attr(include, 'css-inline') === 'inline' ? ' inline="inline"' : '';
      cssParts.write(`<mj-style${inline}>`, origin).add(content, path, 0).write('</mj-style>', origin);
      replace(new MappedText());
      continue;
    }
    if (type === 'html') {
      replace(new MappedText().write('<mj-raw>', origin).add(content, path, 0).write('</mj-raw>', origin));
      continue;
    }
    // As mjml: a file without a literal `<mjml>` is a fragment of mj-body.
    const included = content.includes('<mjml>')
      ? MappedText.of(content, path)
      : new MappedText().write('<mjml><mj-body>', origin).add(content, path, 0).write('</mj-body></mjml>', origin);
    const expanded = expandDocument(included, path, [...stack, path], context);
    const expandedText = expanded.toString();
    const includedRoot = parseSourceTree(expandedText).nodes.find(
      (n): n is SourceElement => n.kind === 'element' && n.name === 'mjml',
    );
    const part = (name: string) => {
      const e = includedRoot && childElements(includedRoot).find((c) => c.name === name);
      return e ? expanded.slice(e.openEnd, e.closeStart) : new MappedText();
    };
    replace(part('mj-body'));
    headParts.append(part('mj-head'));
  }

  headParts.append(cssParts);
  if (headParts.size > 0) {
    if (head) edits.push({ start: head.closeStart, end: head.closeStart, text: headParts });
    else {
      const origin = originOf(root.start);
      edits.push({
        start: root.openEnd,
        end: root.openEnd,
        text: new MappedText().write('<mj-head>', origin).append(headParts).write('</mj-head>', origin),
      });
    }
  }
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  const out = new MappedText();
  let cursor = 0;
  for (const edit of edits) {
    out.append(doc.slice(cursor, edit.start)).append(edit.text);
    cursor = Math.max(cursor, edit.end);
  }
  return out.append(doc.slice(cursor, text.length));
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
