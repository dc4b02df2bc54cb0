import { Parser } from 'htmlparser2';

/** An attribute as written: the value is raw source text (entities are not decoded). */
export interface SourceAttr {
  name: string;
  value: string;
}

/** An element of an MJML source, with offsets into that source. */
export interface SourceElement {
  kind: 'element';
  name: string;
  attrs: SourceAttr[];
  children: SourceNode[];
  /** Offset of `<`. */
  start: number;
  /** Offset just after the opening tag's `>`. */
  openEnd: number;
  /** Offset of the closing tag's `<` (equals `end` when there is no closing tag). */
  closeStart: number;
  /** Offset just after the element. */
  end: number;
  selfClosing: boolean;
  /** Inside the HTML content of an MJML ending tag such as `mj-text`. */
  inEnding: boolean;
  parent: SourceElement | undefined;
}

/** Text, comments or CDATA: kept as the raw slice `[start, end)`. */
export interface SourceText {
  kind: 'text';
  start: number;
  end: number;
}

export type SourceNode = SourceElement | SourceText;

export interface SourceIssue {
  message: string;
  start: number;
  end: number;
  /** `warning`: mjml accepts it with the meaning given in the message; `error`: it cannot be read. */
  severity: 'error' | 'warning';
}

export interface SourceTree {
  source: string;
  /** Top-level nodes (normally one `<mjml>` element). */
  nodes: SourceNode[];
  issues: SourceIssue[];
}

/** MJML components whose content is raw HTML (mjml-preset-core's `endingTag` components). */
export const ENDING_TAGS: ReadonlySet<string> = new Set([
  'mj-breakpoint',
  'mj-preview',
  'mj-style',
  'mj-title',
  'mj-button',
  'mj-raw',
  'mj-text',
  'mj-table',
  'mj-social-element',
  'mj-navbar-link',
  'mj-accordion-text',
  'mj-accordion-title',
  'mj-carousel-image',
]);

/**
 * Parses MJML (and the HTML inside its ending tags) with the same htmlparser2 settings mjml uses,
 * so the tree has the shape mjml sees, keeping offsets so the source can be re-emitted slice by
 * slice. htmlparser2 reports some offsets wrong (after `</a\n  >` every following event starts
 * too early), so each event's start is taken from where the previous one really ended.
 * Reports mj-* elements that are never closed and closing tags that match nothing outside ending
 * tags: mjml repairs both silently (implied close, ignored tag), so they are warnings.
 */
export function parseSourceTree(source: string): SourceTree {
  const nodes: SourceNode[] = [];
  const issues: SourceIssue[] = [];
  const closeTags = new Set<number>();
  /** Regions where `</x>` is not markup: comments and the content of ending tags. */
  const opaque: [number, number][] = [];
  let current: SourceElement | undefined;
  let endingDepth = 0;
  /** Where the last event really ended. */
  let cursor = 0;
  /** htmlparser2 opens `<p>` for a stray `</p>` (and `<br>` for `</br>`); that element is not in the source. */
  let phantom: string | undefined;

  const append = (node: SourceNode) => {
    if (current) current.children.push(node);
    else nodes.push(node);
  };
  const textNode = (end: number) => {
    const start = Math.min(cursor, end);
    if (end > start) append({ kind: 'text', start, end });
    cursor = Math.max(cursor, end);
  };

  const parser = new Parser(
    {
      onopentag(name, attribs, implied) {
        if (implied) {
          phantom = name;
          return;
        }
        const start = openTagStart(source, name, Math.min(parser.startIndex, cursor), parser.endIndex);
        const element: SourceElement = {
          kind: 'element',
          name,
          attrs: Object.entries(attribs).map(([n, value]) => ({ name: n, value })),
          children: [],
          start,
          openEnd: parser.endIndex + 1,
          closeStart: parser.endIndex + 1,
          end: parser.endIndex + 1,
          selfClosing: false,
          inEnding: endingDepth > 0,
          parent: current,
        };
        append(element);
        current = element;
        cursor = element.openEnd;
        if (ENDING_TAGS.has(name)) endingDepth += 1;
      },
      onclosetag(name, implied) {
        if (phantom === name) {
          phantom = undefined;
          return;
        }
        const element = current;
        if (!element) return;
        if (ENDING_TAGS.has(name)) endingDepth -= 1;
        current = element.parent;
        if (implied && parser.endIndex + 1 === element.openEnd) {
          // `<x />` or a void HTML element: no closing tag.
          element.selfClosing = source[parser.endIndex - 1] === '/';
          return;
        }
        if (implied) {
          // Closed by an ancestor's closing tag, a tag that implies it, or the end of the source.
          if (name.startsWith('mj') && !element.inEnding)
            issues.push({
              message: `<${name}> is never closed (mjml closes it at the end of its parent)`,
              start: element.start,
              end: element.openEnd,
              severity: 'warning',
            });
          element.closeStart = cursor;
          element.end = cursor;
          markOpaque(element);
          return;
        }
        const gt = source.indexOf('>', parser.endIndex);
        const end = gt === -1 ? parser.endIndex + 1 : gt + 1;
        const start = Math.max(source.lastIndexOf('</', end - 1), element.openEnd);
        element.closeStart = start;
        element.end = end;
        closeTags.add(start);
        cursor = end;
        markOpaque(element);
      },
      ontext() {
        textNode(parser.endIndex + 1);
      },
      oncomment() {
        const start = Math.min(cursor, parser.endIndex + 1);
        textNode(parser.endIndex + 1);
        opaque.push([start, parser.endIndex + 1]);
      },
      onprocessinginstruction() {
        textNode(parser.endIndex + 1);
      },
    },
    { recognizeCDATA: true, decodeEntities: false, recognizeSelfClosing: true, lowerCaseAttributeNames: false },
  );

  function markOpaque(element: SourceElement): void {
    if (ENDING_TAGS.has(element.name) && !element.inEnding) opaque.push([element.openEnd, element.closeStart]);
  }

  parser.write(source);
  parser.end();
  if (cursor < source.length) textNode(source.length);

  // Closing tags htmlparser2 dropped because nothing matched them (mjml ignores them too).
  for (const match of source.matchAll(/<\/([A-Za-z][\w-]*)\s*>/g)) {
    const at = match.index;
    if (closeTags.has(at) || opaque.some(([s, e]) => at >= s && at < e)) continue;
    issues.push({
      message: `</${match[1] ?? ''}> closes nothing (mjml ignores it)`,
      start: at,
      end: at + match[0].length,
      severity: 'warning',
    });
  }
  return { source, nodes, issues };
}

/**
 * The real start of an opening tag. htmlparser2's start can lie before it (after a closing tag
 * written with whitespace before its `>`); what lies between is only the rest of that tag or
 * closing tags that matched nothing, so the tag is the first `<name` from there.
 */
function openTagStart(source: string, name: string, from: number, openEnd: number): number {
  const re = new RegExp(`<${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'giy');
  for (let i = source.indexOf('<', from); i !== -1 && i < openEnd; i = source.indexOf('<', i + 1)) {
    re.lastIndex = i;
    if (re.test(source)) return i;
  }
  return from;
}

/**
 * An mj-raw at the top of mj-body that belongs to no module (no hs-* inside): Outlook conditional
 * comments and other raw HTML between sections. It travels with the module next to it, because
 * mjml merges such conditionals with the sections around them.
 */
export function isGlue(element: SourceElement): boolean {
  return (
    element.name === 'mj-raw' &&
    ![...walkElements([element])].some((e) => e.attrs.some((a) => a.name.startsWith('hs-')))
  );
}

export function attr(element: SourceElement, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value;
}

export function childElements(element: SourceElement): SourceElement[] {
  return element.children.filter((c): c is SourceElement => c.kind === 'element');
}

/** 1-based line and column of an offset. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Walks every element depth-first, parents before children. */
export function* walkElements(nodes: SourceNode[]): Generator<SourceElement> {
  for (const node of nodes) {
    if (node.kind !== 'element') continue;
    yield node;
    yield* walkElements(node.children);
  }
}
